import type { ConversationView } from '@chat/shared-dto';
import { conversationTitle, initials, shortTime, typingText } from './format';

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
