import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

@Entity('conversation_members')
export class ConversationMemberEntity {
  @PrimaryColumn({ name: 'conversation_id', type: 'uuid' })
  conversationId!: string;

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
