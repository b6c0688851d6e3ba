import type { ConversationMemberView, MessageReceiptsView } from '@chat/shared-dto';

export interface ReceiptRow {
  member: Pick<ConversationMemberView, 'id' | 'username' | 'displayName' | 'avatarUrl'>;
  at: string | null;
}

export interface MessageInfo {
  readBy: ReceiptRow[];
  /** Delivered to a device but not read yet. */
  deliveredTo: ReceiptRow[];
  /** Members whose devices do not have it yet. */
  waiting: ReceiptRow[];
  /** How many read it, and how many have it, in all: a large group lists only the first ones. */
  readCount: number;
  deliveredCount: number;
}

/**
 * The "message info" lists from `GET .../receipts`: who read it, whose device has it without it
 * being read, and who has neither, each once, latest first, the sender left out. A reader who
 * left the group is still listed by id (as "Former member" in the view). The API lists the first
 * 100 of each kind; the counts are complete.
 */
export function messageInfo(
  receipts: MessageReceiptsView,
  members: readonly ConversationMemberView[],
  senderId: string,
): MessageInfo {
  const byId = new Map(members.map((member) => [member.id, member]));
  const known = (userId: string): ReceiptRow['member'] =>
    byId.get(userId) ?? { id: userId, username: '', displayName: 'Former member' };
  const latestFirst = (a: ReceiptRow, b: ReceiptRow) => (b.at ?? '').localeCompare(a.at ?? '');
  const readers = new Set<string>();
  const readBy: ReceiptRow[] = [];
  for (const entry of receipts.readBy) {
    if (entry.userId === senderId || readers.has(entry.userId)) continue;
    readers.add(entry.userId);
    readBy.push({ member: known(entry.userId), at: entry.at });
  }
  const delivered = new Set<string>();
  const deliveredTo: ReceiptRow[] = [];
  for (const entry of receipts.deliveredTo) {
    if (entry.userId === senderId || readers.has(entry.userId) || delivered.has(entry.userId))
      continue;
    delivered.add(entry.userId);
    deliveredTo.push({ member: known(entry.userId), at: entry.at });
  }
  const waiting = members
    .filter(
      (member) => member.id !== senderId && !readers.has(member.id) && !delivered.has(member.id),
    )
    .map((member) => ({ member, at: null }));
  const sender = (entries: MessageReceiptsView['readBy']) =>
    entries.some((entry) => entry.userId === senderId) ? 1 : 0;
  const readCount = receipts.readCount - sender(receipts.readBy);
  return {
    readBy: readBy.sort(latestFirst),
    deliveredTo: deliveredTo.sort(latestFirst),
    waiting,
    readCount,
    // A read counts as delivered too; readers are counted under "Read by" only, as listed.
    deliveredCount: Math.max(0, receipts.deliveredCount - sender(receipts.deliveredTo) - readCount),
  };
}
