import type { DirectMessagePolicy } from '@chat/shared-dto';
import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';

@Entity('users')
@Check('users_status_check', `status IN ('online', 'offline')`)
@Check('users_direct_messages_check', `direct_messages IN ('everyone', 'shared-groups')`)
export class UserEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'varchar', length: 32 })
  username!: string;

  @Column({ type: 'varchar', length: 254 })
  email!: string;

  @Column({ name: 'password_hash', type: 'varchar', length: 100, select: false })
  passwordHash!: string;

  @Column({ name: 'display_name', type: 'varchar', length: 64, nullable: true })
  displayName!: string | null;

  @Column({ name: 'avatar_url', type: 'varchar', length: 2048, nullable: true })
  avatarUrl!: string | null;

  @Column({ name: 'status_message', type: 'varchar', length: 140, nullable: true })
  statusMessage!: string | null;

  @Column({ name: 'direct_messages', type: 'varchar', length: 16, default: 'everyone' })
  directMessages!: DirectMessagePolicy;

  @Column({ type: 'varchar', length: 16, default: 'offline' })
  status!: 'online' | 'offline';

  @Column({ name: 'last_seen', type: 'timestamptz', nullable: true })
  lastSeen!: Date | null;

  /** Set when the account was deleted: the row stays for its messages, erased. */
  @Column({ name: 'deleted_at', type: 'timestamptz', nullable: true })
  deletedAt!: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
