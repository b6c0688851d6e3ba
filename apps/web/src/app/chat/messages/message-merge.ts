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
 * sender + `clientId` (a resend) is kept once, the newer copy winning. Returns `existing` itself
 * when nothing changed, so signals stay quiet.
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
    if (current && current.seq === message.seq && sameMessage(current, message)) continue;
    byId.set(message.id, message);
    byClient.set(identity(message), message.id);
    changed = true;
  }
  if (!changed) return existing;
  return [...byId.values()].sort((a, b) => a.seq - b.seq);
}

function sameMessage(a: MessageView, b: MessageView): boolean {
  return (
    a.content === b.content &&
    a.fileUrl === b.fileUrl &&
    a.thumbnailUrl === b.thumbnailUrl &&
    a.type === b.type
  );
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
