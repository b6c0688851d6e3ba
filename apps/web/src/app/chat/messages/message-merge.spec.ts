import type { MessageView } from '@chat/shared-dto';
import {
  fetchChanges,
  fetchForward,
  findGaps,
  lastSeq,
  maxRev,
  mergeMessages,
  relevantChanges,
} from './message-merge';

function msg(seq: number, overrides: Partial<MessageView> = {}): MessageView {
  return {
    id: `m${seq}`,
    conversationId: 'c1',
    seq,
    senderId: 'u1',
    content: `message ${seq}`,
    type: 'text',
    clientId: `client-${seq}`,
    createdAt: new Date(2024, 0, 1, 12, seq).toISOString(),
    rev: seq,
    reactions: [],
    mentions: [],
    ...overrides,
  };
}

describe('mergeMessages', () => {
  it('keeps ascending seq order without duplicates', () => {
    const merged = mergeMessages([msg(1), msg(3)], [msg(2), msg(3), msg(1)]);
    expect(merged.map((m) => m.seq)).toEqual([1, 2, 3]);
  });

  it('returns the same array when nothing is new', () => {
    const existing = [msg(1), msg(2)];
    expect(mergeMessages(existing, [msg(2)])).toBe(existing);
    expect(mergeMessages(existing, [])).toBe(existing);
  });

  it('drops a second copy of the same clientId from the same sender', () => {
    const merged = mergeMessages([msg(1)], [msg(2, { id: 'other', clientId: 'client-1' })]);
    expect(merged).toHaveLength(1);
  });

  it('keeps equal clientIds of different senders apart', () => {
    const merged = mergeMessages([msg(1)], [msg(2, { clientId: 'client-1', senderId: 'u2' })]);
    expect(merged).toHaveLength(2);
  });

  it('takes the copy with the newer rev of an edited message', () => {
    const merged = mergeMessages([msg(1)], [msg(1, { content: 'edited', rev: 7 })]);
    expect(merged[0].content).toBe('edited');
    expect(merged[0].rev).toBe(7);
  });

  it('never lets an older rev undo a change (a late message:new after message:updated)', () => {
    const existing = [msg(1, { content: '', deletedAt: '2024-01-01T13:00:00.000Z', rev: 9 })];
    expect(mergeMessages(existing, [msg(1, { rev: 1 })])).toBe(existing);
    expect(mergeMessages(existing, [msg(1, { rev: 9, content: 'same rev' })])).toBe(existing);
  });

  it('replaces reactions by id when the rev is newer', () => {
    const reactions = [{ emoji: '👍', count: 1, userIds: ['u2'] }];
    const merged = mergeMessages([msg(1), msg(2)], [msg(2, { rev: 5, reactions })]);
    expect(merged.map((m) => m.reactions.length)).toEqual([0, 1]);
  });
});

describe('change feed replay', () => {
  const server = Array.from({ length: 250 }, (_, i) => msg(i + 1, { rev: i + 1 }));
  const fetchChanged = jest.fn(async (since: number, limit: number) =>
    server.filter((m) => m.rev > since).slice(0, limit),
  );

  beforeEach(() => fetchChanged.mockClear());

  it('pages with changedSince=<highest rev of the page> until a short page', async () => {
    const got = await fetchChanges(fetchChanged, 30, { limit: 100 });
    expect(fetchChanged.mock.calls.map((call) => call[0])).toEqual([30, 130, 230]);
    expect(got.map((m) => m.rev)).toEqual(server.slice(30).map((m) => m.rev));
  });

  it('stops on a page with nothing newer than the cursor', async () => {
    const stuck = jest.fn(async () => [msg(1, { rev: 3 })]);
    expect(await fetchChanges(stuck, 3, { limit: 1 })).toEqual([]);
    expect(stuck).toHaveBeenCalledTimes(1);
  });

  it('knows the highest rev held', () => {
    expect(maxRev([msg(1, { rev: 4 }), msg(2, { rev: 2 })])).toBe(4);
    expect(maxRev([])).toBe(0);
  });

  it('keeps changes to held and newer messages, never older unloaded ones', () => {
    const held = [msg(10), msg(11)];
    const changes = [msg(3, { rev: 20 }), msg(11, { rev: 21 }), msg(12, { rev: 22 })];
    expect(relevantChanges(held, changes).map((m) => m.seq)).toEqual([11, 12]);
    expect(relevantChanges([], changes)).toEqual([]);
  });

  it('applies an edit, a tombstone and reactions made while offline exactly once', async () => {
    const held = [msg(1), msg(2), msg(3)];
    const feed = [
      msg(1, { rev: 4, content: 'fixed typo', editedAt: '2024-01-01T13:00:00.000Z' }),
      msg(2, { rev: 5, content: '', deletedAt: '2024-01-01T13:01:00.000Z' }),
      msg(3, { rev: 6, reactions: [{ emoji: '🎉', count: 2, userIds: ['u2', 'u3'] }] }),
    ];
    const changes = await fetchChanges(async (since) => feed.filter((m) => m.rev > since), 3);
    const once = mergeMessages(held, relevantChanges(held, changes));
    const twice = mergeMessages(once, relevantChanges(once, changes));
    expect(twice).toBe(once);
    expect(once.map((m) => [m.content, m.deletedAt ?? null, m.reactions.length])).toEqual([
      ['fixed typo', null, 0],
      ['', '2024-01-01T13:01:00.000Z', 0],
      ['message 3', null, 1],
    ]);
  });
});

describe('gaps', () => {
  it('finds holes between consecutive messages', () => {
    expect(findGaps([msg(1), msg(2), msg(5), msg(6), msg(9)])).toEqual([
      { after: 2, before: 5 },
      { after: 6, before: 9 },
    ]);
    expect(findGaps([msg(4), msg(5)])).toEqual([]);
    expect(lastSeq([msg(4), msg(5)])).toBe(5);
    expect(lastSeq([])).toBe(0);
  });
});

describe('fetchForward (catch-up)', () => {
  const server = Array.from({ length: 230 }, (_, i) => msg(i + 1));
  const fetchAfter = jest.fn(async (after: number, limit: number) =>
    server.filter((m) => m.seq > after).slice(0, limit),
  );

  beforeEach(() => fetchAfter.mockClear());

  it('pages with after=<last seq> until a short page comes back', async () => {
    const got = await fetchForward(fetchAfter, 20, { limit: 100 });
    expect(fetchAfter.mock.calls.map((call) => call[0])).toEqual([20, 120, 220]);
    expect(got.map((m) => m.seq)).toEqual(server.slice(20).map((m) => m.seq));
  });

  it('stops at the upper bound of a gap', async () => {
    const got = await fetchForward(fetchAfter, 10, { limit: 5, until: 16 });
    expect(got.map((m) => m.seq)).toEqual([11, 12, 13, 14, 15]);
    expect(fetchAfter).toHaveBeenCalledTimes(1);
  });

  it('merges a catch-up into what is held without duplicates or holes', async () => {
    const held = [...server.slice(0, 50), server[60]];
    const gap = findGaps(held)[0];
    const filled = await fetchForward(fetchAfter, gap.after, { limit: 100, until: gap.before });
    const tail = await fetchForward(fetchAfter, lastSeq(held), { limit: 100 });
    const merged = mergeMessages(mergeMessages(held, filled), tail);
    expect(merged.map((m) => m.seq)).toEqual(server.map((m) => m.seq));
    expect(findGaps(merged)).toEqual([]);
  });

  it('stops on a page that brings nothing newer', async () => {
    const stuck = jest.fn(async () => [msg(1), msg(2)]);
    const got = await fetchForward(stuck, 5, { limit: 2 });
    expect(got).toEqual([]);
    expect(stuck).toHaveBeenCalledTimes(1);
  });
});
