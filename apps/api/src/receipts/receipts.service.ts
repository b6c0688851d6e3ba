import { Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { MessageReceiptsView, ReceiptEntry, ReceiptEvent } from '@chat/shared-dto';
import { DataSource } from 'typeorm';
import { MembershipService } from '../conversations/membership.service';
import { returningRows } from '../core/database/returning';
import { Broadcaster } from '../core/realtime/broadcaster';

export type ReceiptKind = 'delivered' | 'read';

/**
 * Receipts are watermarks: "delivered/read up to message N". A mark that does not move the
 * caller's watermark forward is a no-op (idempotent, never backwards); one that does writes one
 * receipt row, and a read also counts as delivered.
 */
@Injectable()
export class ReceiptsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly membership: MembershipService,
    private readonly broadcaster: Broadcaster,
  ) {}

  async mark(
    kind: ReceiptKind,
    userId: string,
    conversationId: string,
    messageId: string,
  ): Promise<void> {
    const members = await this.membership.assertMember(conversationId, userId);
    const seq = await this.seqOf(conversationId, messageId);

    const events = await this.db.transaction(async (tx) => {
      const [moved] = returningRows<{ read_moved: boolean; delivered_moved: boolean; at: Date }>(
        await tx.query(
          `WITH before AS (
           SELECT last_read_seq, last_delivered_seq FROM conversation_members
            WHERE conversation_id = $1 AND user_id = $2 FOR UPDATE)
         UPDATE conversation_members cm
            SET last_delivered_seq = GREATEST(cm.last_delivered_seq, $3),
                last_read_seq = CASE WHEN $4 THEN GREATEST(cm.last_read_seq, $3) ELSE cm.last_read_seq END
           FROM before
          WHERE cm.conversation_id = $1 AND cm.user_id = $2
         RETURNING ($4 AND before.last_read_seq < $3) AS read_moved,
                   (before.last_delivered_seq < $3) AS delivered_moved, now() AS at`,
          [conversationId, userId, seq, kind === 'read'],
        ),
      );
      if (!moved) return [];
      const at = new Date(moved.at).toISOString();
      const event: Omit<ReceiptEvent, 'at'> = { conversationId, messageId, seq, userId };
      const out: { kind: ReceiptKind; event: ReceiptEvent }[] = [];
      if (moved.delivered_moved) {
        await tx.query(
          `INSERT INTO delivery_receipts (message_id, user_id, conversation_id, seq, delivered_at) VALUES ($1, $2, $3, $4, $5)`,
          [messageId, userId, conversationId, seq, at],
        );
        out.push({ kind: 'delivered', event: { ...event, at } });
      }
      if (moved.read_moved) {
        await tx.query(
          `INSERT INTO read_receipts (message_id, user_id, conversation_id, seq, read_at) VALUES ($1, $2, $3, $4, $5)`,
          [messageId, userId, conversationId, seq, at],
        );
        out.push({ kind: 'read', event: { ...event, at } });
      }
      return out;
    });

    const others = [...members].filter((id) => id !== userId);
    for (const { kind: k, event } of events) {
      this.broadcaster.toUsers(others, k === 'read' ? 'message:read' : 'message:delivered', event);
    }
  }

  /** Who has a message, derived from the watermarks: everyone whose mark reached its seq. */
  async forMessage(
    userId: string,
    conversationId: string,
    messageId: string,
  ): Promise<MessageReceiptsView> {
    await this.membership.assertMember(conversationId, userId);
    const seq = await this.seqOf(conversationId, messageId);
    const rows = await this.db.query<{ user_id: string; kind: ReceiptKind; at: Date }[]>(
      `SELECT user_id, 'read' AS kind, min(read_at) AS at FROM read_receipts
        WHERE conversation_id = $1 AND seq >= $2 GROUP BY user_id
       UNION ALL
       SELECT user_id, 'delivered' AS kind, min(delivered_at) AS at FROM delivery_receipts
        WHERE conversation_id = $1 AND seq >= $2 GROUP BY user_id`,
      [conversationId, seq],
    );
    const current = await this.membership.members(conversationId);
    const entries = (kind: ReceiptKind): ReceiptEntry[] =>
      rows
        .filter((r) => r.kind === kind && current.has(r.user_id))
        .map((r) => ({ userId: r.user_id, at: new Date(r.at).toISOString() }));
    return { messageId, seq, deliveredTo: entries('delivered'), readBy: entries('read') };
  }

  private async seqOf(conversationId: string, messageId: string): Promise<number> {
    const [row] = await this.db.query<{ seq: string }[]>(
      'SELECT seq FROM messages WHERE id = $1 AND conversation_id = $2',
      [messageId, conversationId],
    );
    if (!row) throw new NotFoundException('Message not found');
    return Number(row.seq);
  }
}
