import type { ConversationMemberView, ConversationView } from '@chat/shared-dto';
import { sharedGroups } from './shared-groups';

const member = (id: string): ConversationMemberView => ({
  id,
  username: id,
  status: 'offline',
  role: 'member',
  lastReadSeq: 0,
  lastDeliveredSeq: 0,
});

const conversation = (
  id: string,
  type: ConversationView['type'],
  memberIds: string[],
): ConversationView => ({
  encrypted: false,
  id,
  type,
  name: type === 'group' ? `Group ${id}` : null,
  members: memberIds.map(member),
  unreadCount: 0,
  unreadMentions: 0,
  memberCount: memberIds.length,
  lastRev: 0,
  lastReadSeq: 0,
  createdAt: '2024-01-01T00:00:00.000Z',
  lastActivityAt: '2024-01-01T00:00:00.000Z',
});

describe('sharedGroups', () => {
  const list = [
    conversation('g1', 'group', ['me', 'bo', 'cy']),
    conversation('d1', 'direct', ['me', 'bo']),
    conversation('g2', 'group', ['me', 'cy']),
    conversation('g3', 'group', ['me', 'bo']),
  ];

  it('keeps the groups the person is in, in list order, and never the direct conversation', () => {
    expect(sharedGroups(list, 'bo').map((c) => c.id)).toEqual(['g1', 'g3']);
    expect(sharedGroups(list, 'cy').map((c) => c.id)).toEqual(['g1', 'g2']);
  });

  it('is empty for someone in no group of mine', () => {
    expect(sharedGroups(list, 'dee')).toEqual([]);
    expect(sharedGroups([], 'bo')).toEqual([]);
  });
});
