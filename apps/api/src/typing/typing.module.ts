import { Module } from '@nestjs/common';
import { ConversationsModule } from '../conversations/conversations.module';
import { TypingGateway } from './typing.gateway';
import { TypingService } from './typing.service';

@Module({
  imports: [ConversationsModule],
  providers: [TypingService, TypingGateway],
  exports: [TypingService],
})
export class TypingModule {}
