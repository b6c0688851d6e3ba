import { SEARCH_PLAN_DEFAULTS, SearchReads, searchPositions } from './message-search';
import type { SearchPosition, SearchWindow } from './messages.repository';

interface Stored {
  id: string;
  at: number;
  match: boolean;
}

const HOUR = 3_600_000;
const NOW = Date.parse('2026-12-01T12:00:00.000Z');

/** `count` messages, one every `everyMs` back from now, every `matchEvery`th a match. */
function history(count: number, everyMs: number, matchEvery: number): Stored[] {
  return Array.from({ length: count }, (_, i) => ({
    id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
    at: NOW - i * everyMs,
    match: i % matchEvery === 0,
  }));
}

const newestFirst = (a: Stored, b: Stored) => b.at - a.at || (a.id < b.id ? 1 : -1);
const olderThan = (m: Stored, p: SearchPosition) =>
  p.createdAt === 'infinity' ||
  m.at < Date.parse(p.createdAt) ||
  (m.at === Date.parse(p.createdAt) && m.id < p.id);
const position = (m: Stored): SearchPosition => ({
  createdAt: new Date(m.at).toISOString(),
  id: m.id,
});

/** The repository's reads over an array, with the same window and budget semantics. */
function readsOver(stored: Stored[]) {
  const calls = { windows: 0, scanned: 0, index: 0 };
  const sorted = [...stored].sort(newestFirst);
  const reads: SearchReads = {
    earliestLive: async () => {
      const oldest = sorted[sorted.length - 1];
      return oldest ? new Date(oldest.at) : null;
    },
    scanWindow: async (_ids, _q, from, before, budget): Promise<SearchWindow> => {
      calls.windows++;
      const rows = sorted
        .filter((m) => (from === '-infinity' || m.at >= Date.parse(from)) && olderThan(m, before))
        .slice(0, budget);
      calls.scanned += rows.length;
      const last = rows[rows.length - 1];
      return {
        scanned: rows.length,
        hits: rows.filter((m) => m.match).map(position),
        oldest: rows.length === budget && last ? position(last) : null,
      };
    },
    searchIds: async (_ids, _q, before, limit) => {
      calls.index++;
      return sorted
        .filter((m) => m.match && olderThan(m, before))
        .slice(0, limit)
        .map(position);
    },
  };
  return { reads, calls };
}

const options = { ...SEARCH_PLAN_DEFAULTS, now: () => NOW };
const WORDS = { terms: ['q'], tsQuery: "'q':*" };
const expected = (stored: Stored[]) =>
  [...stored]
    .sort(newestFirst)
    .filter((m) => m.match)
    .map((m) => m.id);

async function allPages(stored: Stored[], limit: number): Promise<string[]> {
  const { reads } = readsOver(stored);
  const seen: string[] = [];
  let cursor: SearchPosition | null = null;
  for (let page = 0; page < 1000; page++) {
    const found = await searchPositions(reads, ['c'], WORDS, cursor, limit + 1, options);
    seen.push(...found.slice(0, limit).map((p) => p.id));
    if (found.length <= limit) return seen;
    cursor = found[limit - 1] ?? null;
  }
  throw new Error('paging did not end');
}

describe('searchPositions', () => {
  it('fills a page of a common word from the newest rows, without the word index', async () => {
    const stored = history(100_000, 60_000, 10);
    const { reads, calls } = readsOver(stored);
    const found = await searchPositions(reads, ['c'], WORDS, null, 21, options);
    expect(found.map((p) => p.id)).toEqual(expected(stored).slice(0, 21));
    expect(calls.index).toBe(0);
    expect(calls.scanned).toBeLessThan(500);
  });

  it('hands a rare word to the word index once the scan budget is spent', async () => {
    const stored = history(100_000, 60_000, 997);
    const { reads, calls } = readsOver(stored);
    const found = await searchPositions(reads, ['c'], WORDS, null, 21, options);
    expect(found.map((p) => p.id)).toEqual(expected(stored).slice(0, 21));
    expect(calls.index).toBe(1);
    expect(calls.scanned).toBeLessThanOrEqual(SEARCH_PLAN_DEFAULTS.scanBudget);
  });

  it('reads everything of quiet conversations by scanning alone', async () => {
    const stored = history(300, 7 * 24 * HOUR, 50);
    const { reads, calls } = readsOver(stored);
    const found = await searchPositions(reads, ['c'], WORDS, null, 21, options);
    expect(found.map((p) => p.id)).toEqual(expected(stored));
    expect(calls.index).toBe(0);
  });

  it('cuts a window short when a burst exceeds the budget, and loses nothing at the cut', async () => {
    // 5,000 messages within the first hour: the first window alone is over budget.
    const stored = history(5000, 500, 400);
    const { reads, calls } = readsOver(stored);
    const found = await searchPositions(reads, ['c'], WORDS, null, 21, options);
    expect(found.map((p) => p.id)).toEqual(expected(stored).slice(0, 13));
    expect(calls.windows).toBe(1);
    expect(calls.index).toBe(1);
  });

  it('returns nothing for conversations without live messages', async () => {
    const { reads, calls } = readsOver([]);
    expect(await searchPositions(reads, ['c'], WORDS, null, 21, options)).toEqual([]);
    expect(calls.windows).toBe(0);
  });

  it.each([
    ['common', 10],
    ['occasional', 150],
    ['rare', 997],
  ])('pages through every match of a %s word exactly once, in order', async (_kind, every) => {
    const stored = [
      ...history(20_000, 90_000, every),
      // Same millisecond, different ids: the cursor's tie-break.
      ...[1, 2, 3].map((n) => ({
        id: `00000000-0000-4000-9000-00000000000${n}`,
        at: NOW - 5 * HOUR,
        match: true,
      })),
    ];
    expect(await allPages(stored, 20)).toEqual(expected(stored));
  });
});
