import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { MessageReceiptsView, ReceiptEntry, ReceiptEvent } from '@chat/shared-dto';
import { DEFAULT_LIMITS } from '@chat/shared-dto';
import { DataSource } from 'typeorm';
import { MembershipService } from '../conversations/membership.service';
import { DomainEvents } from '../core/events/domain-events';
import { MessagesService } from '../messages/messages.service';
import { RECEIPT_MOVED } from './receipt.events';
import { ReceiptKind, ReceiptsRepository } from './receipts.repository';

/**
 * Receipts are watermarks: "delivered/read up to message N". A mark that does not move the
 * caller's watermark forward is a no-op (idempotent, never backwards); one that does writes one
 * receipt row, and a read also counts as delivered.
 */
@Injectable()
export class ReceiptsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly repository: ReceiptsRepository,
    private readonly membership: MembershipService,
    private readonly messages: MessagesService,
    private readonly events: DomainEvents,
  ) {}

  async mark(
    kind: ReceiptKind,
    userId: string,
    conversationId: string,
    messageId: string,
  ): Promise<void> {
    await this.membership.assertMember(conversationId, userId);
    const seq = await this.messages.seqOf(conversationId, messageId);
    const moved = await this.db.transaction(async (tx) => {
      const move = await this.membership.moveWatermarks(
        tx,
        conversationId,
        userId,
        seq,
        kind === 'read',
      );
      if (!move) return [];
      const action = { messageId, userId, conversationId, seq, at: new Date(move.at) };
      const kinds: ReceiptKind[] = [];
      if (move.deliveredMoved) kinds.push('delivered');
      if (move.readMoved) kinds.push('read');
      for (const k of kinds) await this.repository.record(tx, k, action);
      return kinds.map((k) => ({ kind: k, at: action.at.toISOString() }));
    });
    for (const { kind: k, at } of moved) {
      const receipt: ReceiptEvent = { conversationId, messageId, seq, userId, at };
      this.events.emit(RECEIPT_MOVED, { kind: k, receipt });
    }
  }

  /**
   * Who has a message, derived from the watermarks: everyone whose mark reached its seq. The
   * counts are complete; the lists hold the first `limit` (earliest first), so that "read by
   * 3,214" in a 10,000-member group is a number, not a list of thousands.
   */
  async forMessage(
    userId: string,
    conversationId: string,
    messageId: string,
    limit: number = DEFAULT_LIMITS.receiptsListDefault,
  ): Promise<MessageReceiptsView> {
    const current = await this.membership.assertMember(conversationId, userId);
    const seq = await this.messages.seqOf(conversationId, messageId);
    const rows = await this.repository.firstReaching(conversationId, seq);
    const of = (kind: ReceiptKind) =>
      rows
        .filter((r) => r.kind === kind && current.has(r.user_id))
        .map((r) => ({ userId: r.user_id, at: new Date(r.at).toISOString() }))
        .sort((a, b) => a.at.localeCompare(b.at) || a.userId.localeCompare(b.userId));
    const delivered = of('delivered');
    const read = of('read');
    const first = (entries: ReceiptEntry[]) => entries.slice(0, limit);
    return {
      messageId,
      seq,
      deliveredTo: first(delivered),
      readBy: first(read),
      deliveredCount: delivered.length,
      readCount: read.length,
    };
  }
}
