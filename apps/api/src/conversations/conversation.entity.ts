import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  ForeignKey,
  PrimaryGeneratedColumn,
} from 'typeorm';
import { UserEntity } from '../users/user.entity';

@Entity('conversations')
@Check('conversations_type_check', `type IN ('direct', 'group')`)
@Check('conversations_check', `(type = 'direct') = (direct_key IS NOT NULL)`)
export class ConversationEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'varchar', length: 10 })
  type!: 'direct' | 'group';

  @Column({ type: 'varchar', length: 100, nullable: true })
  name!: string | null;

  @ForeignKey(() => UserEntity, { name: 'conversations_created_by_fkey', onDelete: 'SET NULL' })
  @Column({ name: 'created_by', type: 'uuid', nullable: true })
  createdBy!: string | null;

  /** `<smaller user id>:<larger user id>` for direct conversations: one per pair, race-free. */
  @Column({ name: 'direct_key', type: 'varchar', length: 73, nullable: true, unique: true })
  directKey!: string | null;

  /** The seq of the newest message; the next message takes `last_seq + 1`. */
  @Column({ name: 'last_seq', type: 'bigint', default: 0 })
  lastSeq!: string;

  /** The conversation's change counter: every new message, edit, delete and reaction bumps it. */
  @Column({ name: 'last_rev', type: 'bigint', default: 0 })
  lastRev!: string;

  @Column({ name: 'last_message_at', type: 'timestamptz', nullable: true })
  lastMessageAt!: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  /** When a direct conversation became end-to-end encrypted; never unset. */
  @Column({ name: 'encrypted_at', type: 'timestamptz', nullable: true })
  encryptedAt!: Date | null;
}
