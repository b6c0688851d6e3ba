import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { MembershipModule } from '../conversations/membership.module';
import { KeysModule } from '../keys/keys.module';
import { UploadModule } from '../upload/upload.module';
import { UsersModule } from '../users/users.module';
import { MessageEncryptedReactionEntity } from './message-encrypted-reaction.entity';
import { MessageReactionEntity } from './message-reaction.entity';
import { MessageEntity } from './message.entity';
import { MessageLifecycleService } from './message-lifecycle.service';
import { MessageRateLimiter } from './message-rate.limiter';
import { MessageWriter } from './message-writer';
import { MessagesController } from './messages.controller';
import { MessagesFanout } from './messages.fanout';
import { MessagesGateway } from './messages.gateway';
import { MessagesRepository } from './messages.repository';
import { MessagesService } from './messages.service';

/** Owns `messages`: sending (group commit), history, and the fan-out of new messages. */
@Module({
  imports: [
    TypeOrmModule.forFeature([
      MessageEntity,
      MessageReactionEntity,
      MessageEncryptedReactionEntity,
    ]),
    KeysModule,
    MembershipModule,
    UploadModule,
    UsersModule,
  ],
  controllers: [MessagesController],
  providers: [
    MessagesRepository,
    MessagesService,
    MessageLifecycleService,
    MessageWriter,
    MessagesGateway,
    MessageRateLimiter,
    MessagesFanout,
  ],
  exports: [MessagesService, MessageLifecycleService],
})
export class MessagesModule {}
