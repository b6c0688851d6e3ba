import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** One row per "delivered up to here" action; it covers every earlier message of the conversation. */
@Entity('delivery_receipts')
export class DeliveryReceiptEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'message_id', type: 'uuid' })
  messageId!: string;

  @Column({ name: 'user_id', type: 'uuid' })
  userId!: string;

  @Column({ name: 'conversation_id', type: 'uuid' })
  conversationId!: string;

  @Column({ type: 'bigint' })
  seq!: string;

  @Column({ name: 'delivered_at', type: 'timestamptz' })
  deliveredAt!: Date;
}
