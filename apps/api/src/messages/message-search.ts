import type { SearchPosition, SearchWindow, WordQuery } from './messages.repository';

/** The reads the search plan is made of (`MessagesRepository`'s). */
export interface SearchReads {
  earliestLive(conversationIds: string[]): Promise<Date | null>;
  scanWindow(
    conversationIds: string[],
    tsQuery: string,
    from: string,
    before: SearchPosition,
    budget: number,
  ): Promise<SearchWindow>;
  searchIds(
    conversationIds: string[],
    terms: string[],
    before: SearchPosition,
    limit: number,
  ): Promise<SearchPosition[]>;
}

export interface SearchPlanOptions {
  /** Rows the newest-first scan may read before the word index takes over. */
  scanBudget: number;
  /** The first window's length back from now (or from the cursor). */
  firstWindowMs: number;
  /** How much longer a window may be than the one before it. */
  maxGrowth: number;
  now: () => number;
}

export const SEARCH_PLAN_DEFAULTS: SearchPlanOptions = {
  scanBudget: 1000,
  firstWindowMs: 60 * 60 * 1000,
  maxGrowth: 16,
  now: Date.now,
};

const FIRST_POSITION: SearchPosition = {
  createdAt: 'infinity',
  id: 'ffffffff-ffff-ffff-ffff-ffffffffffff',
};
const LOWEST_ID = '00000000-0000-0000-0000-000000000000';

/**
 * The newest `limit` live messages of these conversations that match `words`, older than
 * `cursor`, as positions in the search order.
 *
 * A GIN index cannot yield matches in time order: for a word in one message in ten it would
 * read the word's posting list over every conversation of the database and fetch every match
 * of the caller's before sorting. So the plan reads the caller's newest messages first, in
 * windows that grow back in time (sized from the rate seen so far), and filters them; a
 * common word fills the page within the first few hundred rows. Once `scanBudget` rows are
 * read without filling it, the word is rare enough that its posting list is short, and the
 * GIN index finds the rest (older than what was scanned).
 */
export async function searchPositions(
  reads: SearchReads,
  conversationIds: string[],
  words: WordQuery,
  cursor: SearchPosition | null,
  limit: number,
  options: SearchPlanOptions = SEARCH_PLAN_DEFAULTS,
): Promise<SearchPosition[]> {
  const earliest = await reads.earliestLive(conversationIds);
  if (!earliest) return [];
  const hits: SearchPosition[] = [];
  let before = cursor ?? FIRST_POSITION;
  let windowEnd = cursor ? Date.parse(cursor.createdAt) : options.now();
  let windowLength = options.firstWindowMs;
  let budget = options.scanBudget;
  for (;;) {
    const fromMs = windowEnd - windowLength;
    const reachesStart = fromMs <= earliest.getTime();
    // Always a bound, never "no bound": `created_at >= $from` must stay an index condition.
    const from = reachesStart ? '-infinity' : new Date(fromMs).toISOString();
    const window = await reads.scanWindow(conversationIds, words.tsQuery, from, before, budget);
    hits.push(...window.hits);
    if (hits.length >= limit) return hits.slice(0, limit);
    if (window.oldest) {
      before = window.oldest;
      break;
    }
    if (reachesStart) return hits;
    budget -= window.scanned;
    before = { createdAt: from, id: LOWEST_ID };
    // Next window: about twice the rows the matches so far say the page still needs, within
    // the budget; never shorter than this one, at most maxGrowth times longer.
    const scanned = options.scanBudget - budget;
    const rowsWanted = Math.min(
      hits.length > 0 ? (2 * (limit - hits.length) * scanned) / hits.length : Infinity,
      0.8 * budget,
    );
    const rowsPerMs = window.scanned / windowLength;
    const wantedLength = rowsPerMs > 0 ? rowsWanted / rowsPerMs : Infinity;
    windowEnd = fromMs;
    windowLength = Math.min(Math.max(wantedLength, windowLength), windowLength * options.maxGrowth);
  }
  const older = await reads.searchIds(conversationIds, words.terms, before, limit - hits.length);
  return [...hits, ...older];
}
