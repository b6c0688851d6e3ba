import type { ConversationMemberView, ReceiptEvent } from '@chat/shared-dto';

export type ReceiptState = 'sent' | 'delivered' | 'read';

export interface ReceiptSummary {
  state: ReceiptState;
  /** Other members who have read the message. */
  readBy: ConversationMemberView[];
  /** Other members whose device has it (readers included). */
  deliveredTo: ConversationMemberView[];
  /** How many other members there are. */
  others: number;
}

/**
 * Ticks of an own message from the other members' watermarks: delivered when every other member's
 * `lastDeliveredSeq` (or `lastReadSeq`) reached `seq`, read when every `lastReadSeq` did.
 * `memberCount` is the whole conversation's size, the viewer included.
 */
export function receiptFor(
  seq: number,
  members: readonly ConversationMemberView[],
  selfId: string | null,
  memberCount = members.length,
): ReceiptSummary {
  const others = members.filter((member) => member.id !== selfId);
  const readBy = others.filter((member) => member.lastReadSeq >= seq);
  const deliveredTo = others.filter(
    (member) => member.lastReadSeq >= seq || member.lastDeliveredSeq >= seq,
  );
  // A large group embeds only its first members: the ones not embedded are not known to have it.
  const total = Math.max(others.length, memberCount - 1);
  let state: ReceiptState = 'sent';
  if (total > 0 && readBy.length === total) state = 'read';
  else if (total > 0 && deliveredTo.length === total) state = 'delivered';
  return { state, readBy, deliveredTo, others: total };
}

/**
 * Moves one member's watermark forward (never back). Reading implies delivery. Returns the same
 * array when nothing changed.
 */
export function applyReceipt(
  members: ConversationMemberView[],
  event: Pick<ReceiptEvent, 'userId' | 'seq'>,
  kind: 'delivered' | 'read',
): ConversationMemberView[] {
  let changed = false;
  const next = members.map((member) => {
    if (member.id !== event.userId) return member;
    const lastDeliveredSeq = Math.max(member.lastDeliveredSeq ?? 0, event.seq);
    const lastReadSeq =
      kind === 'read' ? Math.max(member.lastReadSeq ?? 0, event.seq) : member.lastReadSeq;
    if (lastDeliveredSeq === member.lastDeliveredSeq && lastReadSeq === member.lastReadSeq)
      return member;
    changed = true;
    return { ...member, lastDeliveredSeq, lastReadSeq };
  });
  return changed ? next : members;
}

/** "Read by Ana and Bob", "Read by Ana, Bob and 3 others". */
export function describeReaders(
  readers: readonly { username: string; displayName?: string | null }[],
): string {
  const names = readers.map((reader) => reader.displayName || reader.username);
  if (!names.length) return 'Not read yet';
  if (names.length === 1) return `Read by ${names[0]}`;
  if (names.length <= 3)
    return `Read by ${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
  return `Read by ${names.slice(0, 2).join(', ')} and ${names.length - 2} others`;
}
