import type { MessageView } from '@chat/shared-dto';
import { fetchForward, findGaps, lastSeq, mergeMessages } from './message-merge';

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

  it('takes the newer copy of an edited message', () => {
    const merged = mergeMessages([msg(1)], [msg(1, { content: 'edited' })]);
    expect(merged[0].content).toBe('edited');
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
