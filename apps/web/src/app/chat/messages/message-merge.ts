import type { MessageView } from '@chat/shared-dto';

/** A hole in a conversation's sequence: messages `after < seq < before` are missing. */
export interface SeqGap {
  after: number;
  before: number;
}

function identity(message: MessageView): string {
  return `${message.senderId}:${message.clientId}`;
}

/**
 * Merges messages into an ascending-`seq` list with no duplicates: the same `id` or the same
 * sender + `clientId` (a resend) is kept once, the copy with the higher `rev` winning (an edit,
 * a tombstone or a reaction change bumps it; a late `message:new` never undoes them). Returns
 * `existing` itself when nothing changed, so signals stay quiet.
 */
export function mergeMessages(
  existing: readonly MessageView[],
  incoming: readonly MessageView[],
): readonly MessageView[] {
  if (!incoming.length) return existing;
  const byId = new Map<string, MessageView>();
  const byClient = new Map<string, string>();
  let changed = false;
  for (const message of existing) {
    byId.set(message.id, message);
    byClient.set(identity(message), message.id);
  }
  for (const message of incoming) {
    const sameClient = byClient.get(identity(message));
    if (sameClient !== undefined && sameClient !== message.id) {
      // The same logical message under another id should not happen; keep the first one.
      continue;
    }
    const current = byId.get(message.id);
    if (current && !isNewer(message, current)) continue;
    byId.set(message.id, message);
    byClient.set(identity(message), message.id);
    changed = true;
  }
  if (!changed) return existing;
  return [...byId.values()].sort((a, b) => a.seq - b.seq);
}

/** Every change stamps the message with the conversation's next rev: a higher one is newer. */
function isNewer(incoming: MessageView, current: MessageView): boolean {
  return incoming.rev > current.rev;
}

/** The highest `rev` held, or 0. */
export function maxRev(messages: readonly MessageView[]): number {
  let rev = 0;
  for (const message of messages) if (message.rev > rev) rev = message.rev;
  return rev;
}

/**
 * What the change feed brought that belongs in a loaded thread: changes to messages it holds
 * and messages newer than its newest one. Older messages it never loaded are left out, or they
 * would open holes that the catch-up would then fill with a whole history.
 */
export function relevantChanges(
  held: readonly MessageView[],
  changes: readonly MessageView[],
): MessageView[] {
  if (!held.length) return [];
  const first = held[0].seq;
  return changes.filter((message) => message.seq >= first);
}

export type FetchChanged = (changedSince: number, limit: number) => Promise<MessageView[]>;

/**
 * Replays the change feed (`GET ...?changedSince=`) from `rev`, paging by the highest rev of
 * each page until a page comes back shorter than `limit`. Returns the changes ascending by rev.
 */
export async function fetchChanges(
  fetchChanged: FetchChanged,
  rev: number,
  options: { limit?: number; maxPages?: number } = {},
): Promise<MessageView[]> {
  const limit = options.limit ?? 100;
  const maxPages = options.maxPages ?? 50;
  const collected: MessageView[] = [];
  let cursor = rev;
  for (let page = 0; page < maxPages; page++) {
    const batch = await fetchChanged(cursor, limit);
    const fresh = batch.filter((message) => message.rev > cursor);
    collected.push(...fresh);
    if (batch.length < limit || !fresh.length) break;
    cursor = maxRev(fresh);
  }
  return collected;
}

/** The highest `seq` held, or 0. */
export function lastSeq(messages: readonly MessageView[]): number {
  return messages.length ? messages[messages.length - 1].seq : 0;
}

/** Holes between consecutive messages of an ascending list. */
export function findGaps(messages: readonly MessageView[]): SeqGap[] {
  const gaps: SeqGap[] = [];
  for (let i = 1; i < messages.length; i++) {
    const previous = messages[i - 1].seq;
    const next = messages[i].seq;
    if (next > previous + 1) gaps.push({ after: previous, before: next });
  }
  return gaps;
}

export type FetchAfter = (after: number, limit: number) => Promise<MessageView[]>;

/**
 * Pages forward from `after` (`GET ...?after=`) until a page comes back shorter than `limit`,
 * or, for a gap, until its upper bound is reached. Returns every message fetched, ascending.
 */
export async function fetchForward(
  fetchAfter: FetchAfter,
  after: number,
  options: { limit?: number; until?: number; maxPages?: number } = {},
): Promise<MessageView[]> {
  const limit = options.limit ?? 100;
  const maxPages = options.maxPages ?? 100;
  const collected: MessageView[] = [];
  let cursor = after;
  for (let page = 0; page < maxPages; page++) {
    const batch = await fetchAfter(cursor, limit);
    const fresh = batch.filter((message) => message.seq > cursor);
    collected.push(...fresh);
    if (batch.length < limit || !fresh.length) break;
    cursor = Math.max(...fresh.map((message) => message.seq));
    if (options.until !== undefined && cursor >= options.until - 1) break;
  }
  return collected;
}
