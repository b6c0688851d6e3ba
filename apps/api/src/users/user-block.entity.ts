import { Check, CreateDateColumn, Entity, ForeignKey, Index, PrimaryColumn } from 'typeorm';
import { UserEntity } from './user.entity';

/** One user's block of another: the blocked one cannot reach the blocker directly. */
@Entity('user_blocks')
@Check('user_blocks_not_self_check', `blocker_id <> blocked_id`)
export class UserBlockEntity {
  @ForeignKey(() => UserEntity, { name: 'user_blocks_blocker_id_fkey', onDelete: 'CASCADE' })
  @PrimaryColumn({ name: 'blocker_id', type: 'uuid', primaryKeyConstraintName: 'user_blocks_pkey' })
  blockerId!: string;

  @Index('user_blocks_blocked_idx')
  @ForeignKey(() => UserEntity, { name: 'user_blocks_blocked_id_fkey', onDelete: 'CASCADE' })
  @PrimaryColumn({ name: 'blocked_id', type: 'uuid', primaryKeyConstraintName: 'user_blocks_pkey' })
  blockedId!: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
