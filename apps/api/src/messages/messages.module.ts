import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { MembershipModule } from '../conversations/membership.module';
import { UploadModule } from '../upload/upload.module';
import { MessageEntity } from './message.entity';
import { MessageRateLimiter } from './message-rate.limiter';
import { MessageWriter } from './message-writer';
import { MessagesController } from './messages.controller';
import { MessagesFanout } from './messages.fanout';
import { MessagesGateway } from './messages.gateway';
import { MessagesRepository } from './messages.repository';
import { MessagesService } from './messages.service';

/** Owns `messages`: sending (group commit), history, and the fan-out of new messages. */
@Module({
  imports: [TypeOrmModule.forFeature([MessageEntity]), MembershipModule, UploadModule],
  controllers: [MessagesController],
  providers: [
    MessagesRepository,
    MessagesService,
    MessageWriter,
    MessagesGateway,
    MessageRateLimiter,
    MessagesFanout,
  ],
  exports: [MessagesService],
})
export class MessagesModule {}
