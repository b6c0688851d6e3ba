import type { ConversationView } from '@chat/shared-dto';
import type { ConversationMemberView } from '@chat/shared-dto';
import {
  conversationAvatar,
  conversationTitle,
  groupPresence,
  initials,
  nameWithHandle,
  shortTime,
  typingText,
} from './format';

describe('format helpers', () => {
  const now = new Date(2024, 5, 15, 12, 0).getTime();

  it('gives short list times', () => {
    expect(shortTime(new Date(now - 20_000).toISOString(), now)).toBe('now');
    expect(shortTime(new Date(now - 5 * 60_000).toISOString(), now)).toBe('5m');
    expect(shortTime(new Date(2024, 5, 15, 9, 5).toISOString(), now)).toBe('09:05');
    expect(shortTime(new Date(2024, 5, 13, 9, 5).toISOString(), now)).toBe('Thu');
    expect(shortTime(new Date(2024, 1, 3).toISOString(), now)).toBe('3 Feb');
    expect(shortTime(new Date(2022, 1, 3).toISOString(), now)).toBe('3 Feb 2022');
  });

  it('makes initials', () => {
    expect(initials('Ana Lopez')).toBe('AL');
    expect(initials('bob')).toBe('BO');
    expect(initials('')).toBe('?');
  });

  it('names conversations', () => {
    const direct = {
      id: 'c',
      type: 'direct',
      members: [
        {
          id: 'me',
          username: 'me',
          status: 'online',
          role: 'member',
          lastReadSeq: 0,
          lastDeliveredSeq: 0,
        },
        {
          id: 'a',
          username: 'ana',
          displayName: 'Ana',
          status: 'online',
          role: 'member',
          lastReadSeq: 0,
          lastDeliveredSeq: 0,
        },
      ],
    } as ConversationView;
    expect(conversationTitle(direct, 'me')).toBe('Ana');
    expect(conversationTitle({ ...direct, type: 'group', name: 'Team' }, 'me')).toBe('Team');
  });

  it('describes who is typing', () => {
    expect(typingText(['Ana'])).toBe('Ana is typing…');
    expect(typingText(['Ana', 'Bob'])).toBe('Ana and Bob are typing…');
    expect(typingText(['a', 'b', 'c'])).toBe('3 people are typing…');
  });
});

describe('who and where', () => {
  const member = (id: string, status: 'online' | 'offline'): ConversationMemberView => ({
    id,
    username: id,
    status,
    role: 'member',
    lastReadSeq: 0,
    lastDeliveredSeq: 0,
  });

  it('counts the viewer among the online members of a group', () => {
    const group = {
      members: [member('me', 'offline'), member('ana', 'online'), member('bob', 'offline')],
    };
    expect(groupPresence(group, 'me', 'live')).toBe('3 members, 2 online');
    expect(groupPresence({ members: [member('me', 'offline')] }, 'me', 'live')).toBe(
      '1 member, 1 online',
    );
  });

  it('shows no stale presence while the viewer is offline or reconnecting', () => {
    const group = { members: [member('me', 'online'), member('ana', 'online')] };
    expect(groupPresence(group, 'me', 'offline')).toBe('2 members, waiting for network');
    expect(groupPresence(group, 'me', 'connecting')).toBe('2 members, connecting…');
  });

  it("uses the other person's id for a direct conversation's avatar, as everywhere else", () => {
    const direct: ConversationView = {
      encrypted: false,
      id: 'conv',
      type: 'direct',
      members: [member('me', 'online'), { ...member('ana', 'online'), avatarUrl: '/a.png' }],
      unreadCount: 0,
      unreadMentions: 0,
      memberCount: 2,
      lastRev: 0,
      lastReadSeq: 0,
      createdAt: '2024-01-01T00:00:00Z',
      lastActivityAt: '2024-01-01T00:00:00Z',
    };
    expect(conversationAvatar(direct, 'me')).toEqual({ id: 'ana', url: '/a.png', group: false });
    expect(conversationAvatar({ ...direct, type: 'group' }, 'me')).toEqual({
      id: 'conv',
      url: null,
      group: true,
    });
  });

  it('names people with their username, which is unique', () => {
    expect(nameWithHandle({ username: 'ana', displayName: 'Ana Lima' })).toBe('Ana Lima (@ana)');
    expect(nameWithHandle({ username: 'bob', displayName: null })).toBe('@bob');
  });
});
