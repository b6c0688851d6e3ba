import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, Repository } from 'typeorm';
import { DeliveryReceiptEntity } from './delivery-receipt.entity';
import { ReadReceiptEntity } from './read-receipt.entity';

export type ReceiptKind = 'delivered' | 'read';

export interface ReceiptAction {
  messageId: string;
  userId: string;
  conversationId: string;
  seq: number;
  at: Date;
}

/** Every SQL on `read_receipts` and `delivery_receipts`: one row per watermark action. */
@Injectable()
export class ReceiptsRepository {
  constructor(
    @InjectRepository(ReadReceiptEntity) private readonly reads: Repository<ReadReceiptEntity>,
  ) {}

  async record(manager: EntityManager, kind: ReceiptKind, action: ReceiptAction): Promise<void> {
    const seq = String(action.seq);
    if (kind === 'read') {
      await manager.getRepository(ReadReceiptEntity).insert({ ...action, seq, readAt: action.at });
    } else {
      await manager
        .getRepository(DeliveryReceiptEntity)
        .insert({ ...action, seq, deliveredAt: action.at });
    }
  }

  /** Per user, the first time a watermark of each kind reached `seq` in the conversation. */
  firstReaching(
    conversationId: string,
    seq: number,
  ): Promise<{ user_id: string; kind: ReceiptKind; at: Date }[]> {
    return this.reads.query(
      `SELECT user_id, 'read' AS kind, min(read_at) AS at FROM read_receipts
        WHERE conversation_id = $1 AND seq >= $2 GROUP BY user_id
       UNION ALL
       SELECT user_id, 'delivered' AS kind, min(delivered_at) AS at FROM delivery_receipts
        WHERE conversation_id = $1 AND seq >= $2 GROUP BY user_id`,
      [conversationId, seq],
    );
  }
}
