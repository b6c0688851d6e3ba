import { Check, Column, CreateDateColumn, Entity, ForeignKey, Index, PrimaryColumn } from 'typeorm';
import { UserEntity } from '../users/user.entity';
import { ConversationEntity } from './conversation.entity';

@Entity('conversation_members')
@Check('conversation_members_role_check', `role IN ('owner', 'admin', 'member')`)
/** "My conversations" and "who shares a conversation with me" start from the user. */
@Index('conversation_members_user_idx', ['userId', 'conversationId'])
/** The members a conversation payload embeds: its first ones in joining order. */
@Index('conversation_members_joined_idx', ['conversationId', 'joinedAt', 'userId'])
export class ConversationMemberEntity {
  @ForeignKey(() => ConversationEntity, {
    name: 'conversation_members_conversation_id_fkey',
    onDelete: 'CASCADE',
  })
  @PrimaryColumn({ name: 'conversation_id', type: 'uuid' })
  conversationId!: string;

  @ForeignKey(() => UserEntity, { name: 'conversation_members_user_id_fkey', onDelete: 'CASCADE' })
  @PrimaryColumn({ name: 'user_id', type: 'uuid' })
  userId!: string;

  @Column({ type: 'varchar', length: 10, default: 'member' })
  role!: 'owner' | 'admin' | 'member';

  @CreateDateColumn({ name: 'joined_at', type: 'timestamptz' })
  joinedAt!: Date;

  /** Watermarks kept beside the receipt rows so that unread counts need no scan. */
  @Column({ name: 'last_read_seq', type: 'bigint', default: 0 })
  lastReadSeq!: string;

  @Column({ name: 'last_delivered_seq', type: 'bigint', default: 0 })
  lastDeliveredSeq!: string;

  /** The member's own mute: no pushes (except mentions) until then. */
  @Column({ name: 'muted_until', type: 'timestamptz', nullable: true })
  mutedUntil!: Date | null;
}
