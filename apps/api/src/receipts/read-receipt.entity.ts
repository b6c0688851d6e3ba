import { Column, Entity, ForeignKey, Index, PrimaryGeneratedColumn } from 'typeorm';
import { ConversationEntity } from '../conversations/conversation.entity';
import { MessageEntity } from '../messages/message.entity';
import { UserEntity } from '../users/user.entity';

/** One row per "read up to here" action; it covers every earlier message of the conversation. */
@Entity('read_receipts')
@Index('read_receipts_conversation_seq_idx', ['conversationId', 'seq'])
export class ReadReceiptEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Index('read_receipts_message_idx')
  @ForeignKey(() => MessageEntity, { name: 'read_receipts_message_id_fkey', onDelete: 'CASCADE' })
  @Column({ name: 'message_id', type: 'uuid' })
  messageId!: string;

  @ForeignKey(() => UserEntity, { name: 'read_receipts_user_id_fkey', onDelete: 'CASCADE' })
  @Column({ name: 'user_id', type: 'uuid' })
  userId!: string;

  @ForeignKey(() => ConversationEntity, {
    name: 'read_receipts_conversation_id_fkey',
    onDelete: 'CASCADE',
  })
  @Column({ name: 'conversation_id', type: 'uuid' })
  conversationId!: string;

  @Column({ type: 'bigint' })
  seq!: string;

  @Column({ name: 'read_at', type: 'timestamptz', default: () => 'now()' })
  readAt!: Date;
}
