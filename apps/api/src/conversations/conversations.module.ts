import { Module } from '@nestjs/common';
import { ConversationSettingsController } from './conversation-settings.controller';
import { ConversationSettingsService } from './conversation-settings.service';
import { ConversationsController } from './conversations.controller';
import { ConversationsGateway } from './conversations.gateway';
import { ConversationsService } from './conversations.service';
import { MembershipService } from './membership.service';

@Module({
  controllers: [ConversationsController, ConversationSettingsController],
  providers: [
    ConversationsService,
    MembershipService,
    ConversationsGateway,
    ConversationSettingsService,
  ],
  exports: [ConversationsService, MembershipService, ConversationSettingsService],
})
export class ConversationsModule {}
