import { CreateDateColumn, Entity, ForeignKey, PrimaryColumn } from 'typeorm';
import { UserEntity } from '../users/user.entity';
import { MessageEntity } from './message.entity';

/** One person's one emoji on one message. */
@Entity('message_reactions')
export class MessageReactionEntity {
  @ForeignKey(() => MessageEntity, {
    name: 'message_reactions_message_id_fkey',
    onDelete: 'CASCADE',
  })
  @PrimaryColumn({ name: 'message_id', type: 'uuid' })
  messageId!: string;

  @PrimaryColumn({ type: 'varchar', length: 32 })
  emoji!: string;

  @ForeignKey(() => UserEntity, { name: 'message_reactions_user_id_fkey', onDelete: 'CASCADE' })
  @PrimaryColumn({ name: 'user_id', type: 'uuid' })
  userId!: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
