import { Column, Entity, ForeignKey, Index, PrimaryGeneratedColumn } from 'typeorm';
import { ConversationEntity } from '../conversations/conversation.entity';
import { MessageEntity } from '../messages/message.entity';
import { UserEntity } from '../users/user.entity';

/** One row per "delivered up to here" action; it covers every earlier message of the conversation. */
@Entity('delivery_receipts')
@Index('delivery_receipts_conversation_seq_idx', ['conversationId', 'seq'])
export class DeliveryReceiptEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Index('delivery_receipts_message_idx')
  @ForeignKey(() => MessageEntity, {
    name: 'delivery_receipts_message_id_fkey',
    onDelete: 'CASCADE',
  })
  @Column({ name: 'message_id', type: 'uuid' })
  messageId!: string;

  @ForeignKey(() => UserEntity, { name: 'delivery_receipts_user_id_fkey', onDelete: 'CASCADE' })
  @Column({ name: 'user_id', type: 'uuid' })
  userId!: string;

  @ForeignKey(() => ConversationEntity, {
    name: 'delivery_receipts_conversation_id_fkey',
    onDelete: 'CASCADE',
  })
  @Column({ name: 'conversation_id', type: 'uuid' })
  conversationId!: string;

  @Column({ type: 'bigint' })
  seq!: string;

  @Column({ name: 'delivered_at', type: 'timestamptz', default: () => 'now()' })
  deliveredAt!: Date;
}
