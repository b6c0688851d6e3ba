import { Module } from '@nestjs/common';
import { ConversationsController } from './conversations.controller';
import { ConversationsGateway } from './conversations.gateway';
import { ConversationsService } from './conversations.service';
import { MembershipService } from './membership.service';

@Module({
  controllers: [ConversationsController],
  providers: [ConversationsService, MembershipService, ConversationsGateway],
  exports: [ConversationsService, MembershipService],
})
export class ConversationsModule {}
