import { Module } from '@nestjs/common';
import { ConversationsModule } from '../conversations/conversations.module';
import { MessagesModule } from '../messages/messages.module';
import { UsersModule } from '../users/users.module';
import { CallPolicy } from './call-policy';
import { CallsController } from './calls.controller';
import { CallsFanout } from './calls.fanout';
import { CallsGateway } from './calls.gateway';
import { CallsService } from './calls.service';

/** 1:1 voice and video: socket signalling, ICE servers, and the message a call leaves. */
@Module({
  imports: [ConversationsModule, MessagesModule, UsersModule],
  controllers: [CallsController],
  providers: [CallsService, CallsGateway, CallsFanout, CallPolicy],
})
export class CallsModule {}
