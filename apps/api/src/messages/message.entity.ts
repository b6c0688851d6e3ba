import type { MessageType } from '@chat/shared-dto';
import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  ForeignKey,
  Index,
  PrimaryGeneratedColumn,
} from 'typeorm';
import type { CallSummary, EncryptedPayload } from '@chat/shared-dto';
import { ConversationEntity } from '../conversations/conversation.entity';
import { UserEntity } from '../users/user.entity';

@Entity('messages')
@Check(
  'messages_message_type_check',
  `message_type IN ('text', 'image', 'call', 'file', 'voice', 'system')`,
)
/** History pages and catch-up read by (conversation_id, seq); unique: no two messages share a seq. */
@Index('messages_conversation_seq_uq', ['conversationId', 'seq'], { unique: true })
/** A clientId is unique per sender: a resend finds the stored message. */
@Index('messages_sender_client_id_uq', ['senderId', 'clientId'], { unique: true })
/** The change feed (`changedSince`) reads by (conversation_id, rev). */
@Index('messages_conversation_rev_uq', ['conversationId', 'rev'], { unique: true })
/** Full-text search (an expression GIN index: written by its migration, not by TypeORM). */
@Index('messages_search_idx', { synchronize: false })
/** Search scans a member's newest live messages first (`SearchService`). */
@Index('messages_conversation_created_idx', ['conversationId', 'createdAt', 'id'], {
  where: 'deleted_at IS NULL',
})
/** Who may fetch an upload: the messages carrying it (`UploadsRepository.readableBy`). */
@Index('messages_file_url_idx', ['fileUrl'], { where: 'file_url IS NOT NULL' })
export class MessageEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @ForeignKey(() => ConversationEntity, {
    name: 'messages_conversation_id_fkey',
    onDelete: 'CASCADE',
  })
  @Column({ name: 'conversation_id', type: 'uuid' })
  conversationId!: string;

  @Column({ type: 'bigint' })
  seq!: string;

  @ForeignKey(() => UserEntity, { name: 'messages_sender_id_fkey' })
  @Column({ name: 'sender_id', type: 'uuid' })
  senderId!: string;

  @Column({ type: 'text', default: '' })
  content!: string;

  @Column({ name: 'message_type', type: 'varchar', length: 10, default: 'text' })
  messageType!: MessageType;

  @Column({ name: 'file_url', type: 'varchar', length: 512, nullable: true })
  fileUrl!: string | null;

  @Column({ name: 'client_id', type: 'varchar', length: 64 })
  clientId!: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  /** The conversation's `last_rev` when this message last changed. */
  @Column({ type: 'bigint', default: 0 })
  rev!: string;

  @Column({ name: 'edited_at', type: 'timestamptz', nullable: true })
  editedAt!: Date | null;

  @Column({ name: 'deleted_at', type: 'timestamptz', nullable: true })
  deletedAt!: Date | null;

  @ForeignKey(() => MessageEntity, { name: 'messages_reply_to_id_fkey', onDelete: 'SET NULL' })
  @Column({ name: 'reply_to_id', type: 'uuid', nullable: true })
  replyToId!: string | null;

  @Column({ type: 'uuid', array: true, default: () => "'{}'" })
  mentions!: string[];

  /** What a `call` message records. */
  @Column({ type: 'jsonb', nullable: true })
  call!: CallSummary | null;

  /** In an end-to-end encrypted conversation: one ciphertext per device; `content` is ''. */
  @Column({ type: 'jsonb', nullable: true })
  encrypted!: EncryptedPayload | null;
}
