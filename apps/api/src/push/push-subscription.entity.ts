import {
  Column,
  CreateDateColumn,
  Entity,
  ForeignKey,
  Index,
  PrimaryGeneratedColumn,
} from 'typeorm';
import { UserEntity } from '../users/user.entity';

/** A browser's Web Push subscription, tied to the session that made it. */
@Entity('push_subscriptions')
export class PushSubscriptionEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Index('push_subscriptions_user_idx')
  @ForeignKey(() => UserEntity, { name: 'push_subscriptions_user_id_fkey', onDelete: 'CASCADE' })
  @Column({ name: 'user_id', type: 'uuid' })
  userId!: string;

  @Index('push_subscriptions_session_idx')
  @Column({ name: 'session_id', type: 'uuid' })
  sessionId!: string;

  @Index('push_subscriptions_endpoint_uq', { unique: true })
  @Column({ type: 'varchar', length: 2048 })
  endpoint!: string;

  @Column({ type: 'varchar', length: 128 })
  p256dh!: string;

  @Column({ type: 'varchar', length: 64 })
  auth!: string;

  /** The session's expiry: a subscription outlives neither logout nor an expired token. */
  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt!: Date;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
