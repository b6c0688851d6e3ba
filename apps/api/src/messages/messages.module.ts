import { Module } from '@nestjs/common';
import { ConversationsModule } from '../conversations/conversations.module';
import { UploadModule } from '../upload/upload.module';
import { MessageRateLimiter } from './message-rate.limiter';
import { MessageWriter } from './message-writer';
import { MessagesController } from './messages.controller';
import { MessagesGateway } from './messages.gateway';
import { MessagesService } from './messages.service';

@Module({
  imports: [ConversationsModule, UploadModule],
  controllers: [MessagesController],
  providers: [MessagesService, MessageWriter, MessagesGateway, MessageRateLimiter],
  exports: [MessagesService],
})
export class MessagesModule {}
