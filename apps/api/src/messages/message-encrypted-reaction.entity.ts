import type { EncryptedPayload } from '@chat/shared-dto';
import { Column, Entity, ForeignKey, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import { UserEntity } from '../users/user.entity';
import { MessageEntity } from './message.entity';

/**
 * One member's reactions to a message of an end-to-end encrypted conversation: the set of
 * emojis, encrypted for every device, replaced as a whole on each change.
 */
@Entity('message_encrypted_reactions')
export class MessageEncryptedReactionEntity {
  @ForeignKey(() => MessageEntity, {
    name: 'message_encrypted_reactions_message_id_fkey',
    onDelete: 'CASCADE',
  })
  @PrimaryColumn({
    name: 'message_id',
    type: 'uuid',
    primaryKeyConstraintName: 'message_encrypted_reactions_pkey',
  })
  messageId!: string;

  @ForeignKey(() => UserEntity, {
    name: 'message_encrypted_reactions_user_id_fkey',
    onDelete: 'CASCADE',
  })
  @PrimaryColumn({
    name: 'user_id',
    type: 'uuid',
    primaryKeyConstraintName: 'message_encrypted_reactions_pkey',
  })
  userId!: string;

  @Column({ type: 'jsonb' })
  encrypted!: EncryptedPayload;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
