import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { MessagesModule } from '../messages/messages.module';
import { UsersModule } from '../users/users.module';
import { ConversationSettingsController } from './conversation-settings.controller';
import { ConversationSettingsService } from './conversation-settings.service';
import { ConversationEntity } from './conversation.entity';
import { ConversationRooms } from './conversation-rooms';
import { ConversationsController } from './conversations.controller';
import { ConversationsFanout } from './conversations.fanout';
import { ConversationsGateway } from './conversations.gateway';
import { ConversationsRepository } from './conversations.repository';
import { ConversationsService } from './conversations.service';
import { MembershipModule } from './membership.module';

/** Owns `conversations`: direct chats, groups, the list and group management. */
@Module({
  imports: [
    TypeOrmModule.forFeature([ConversationEntity]),
    MembershipModule,
    UsersModule,
    MessagesModule,
  ],
  controllers: [ConversationsController, ConversationSettingsController],
  providers: [
    ConversationsRepository,
    ConversationsService,
    ConversationsGateway,
    ConversationsFanout,
    ConversationRooms,
    ConversationSettingsService,
  ],
  exports: [ConversationsService, ConversationSettingsService, MembershipModule],
})
export class ConversationsModule {}
