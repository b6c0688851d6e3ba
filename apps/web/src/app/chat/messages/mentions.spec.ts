import type { ConversationMemberView } from '@chat/shared-dto';
import { segmentText } from './link-segments';
import { filterMentionCandidates, insertMention, markMentions, mentionAt } from './mentions';

function member(id: string, username: string, displayName?: string): ConversationMemberView {
  return {
    id,
    username,
    displayName,
    status: 'offline',
    role: 'member',
    lastReadSeq: 0,
    lastDeliveredSeq: 0,
  };
}

const members = [
  member('me', 'maria', 'Maria Self'),
  member('a', 'ana', 'Ana Lima'),
  member('b', 'bob', 'Robert Anand'),
  member('c', 'carla.m', 'Carla'),
  member('d', 'diana', 'Di'),
];

describe('mentionAt', () => {
  it('finds the @name right before the caret', () => {
    expect(mentionAt('hi @an', 6)).toEqual({ start: 3, query: 'an' });
    expect(mentionAt('@', 1)).toEqual({ start: 0, query: '' });
    expect(mentionAt('hi @an there', 6)).toEqual({ start: 3, query: 'an' });
  });

  it('ignores e-mail addresses, finished names and text without @', () => {
    expect(mentionAt('mail ana@example', 16)).toBeNull();
    expect(mentionAt('hi @ana ', 8)).toBeNull();
    expect(mentionAt('hello', 5)).toBeNull();
  });
});

describe('filterMentionCandidates', () => {
  it('ranks username prefixes first, then name words, then anywhere; never the viewer', () => {
    const names = (q: string) => filterMentionCandidates(members, q, 'me').map((m) => m.username);
    expect(names('an')).toEqual(['ana', 'bob', 'diana']);
    expect(names('ROB')).toEqual(['bob']);
    expect(names('ma')).toEqual(['ana']);
    expect(names('carla.')).toEqual(['carla.m']);
    expect(names('')).toEqual(['ana', 'bob', 'carla.m', 'diana']);
    expect(names('zzz')).toEqual([]);
  });
});

describe('insertMention', () => {
  it('replaces the typed query with @username and a space, the caret after it', () => {
    expect(insertMention('hi @an', { start: 3, query: 'an' }, 'ana')).toEqual({
      text: 'hi @ana ',
      caret: 8,
    });
    expect(insertMention('hi @an how', { start: 3, query: 'an' }, 'ana')).toEqual({
      text: 'hi @ana how',
      caret: 8,
    });
  });
});

describe('markMentions', () => {
  const usernames = new Map(members.map((m) => [m.username, m.id]));

  it('marks members (the viewer as self), leaving unknown names and links alone', () => {
    const segments = markMentions(
      segmentText('@maria and @Ana, see https://x.test/@bob and @nobody or @carla.m.'),
      usernames,
      'me',
    );
    expect(segments.filter((s) => s.kind === 'mention')).toEqual([
      { kind: 'mention', text: '@maria', userId: 'me', self: true },
      { kind: 'mention', text: '@Ana', userId: 'a', self: false },
      { kind: 'mention', text: '@carla.m', userId: 'c', self: false },
    ]);
    expect(segments.map((s) => s.text).join('')).toBe(
      '@maria and @Ana, see https://x.test/@bob and @nobody or @carla.m.',
    );
  });
});
