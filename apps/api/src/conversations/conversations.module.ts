import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { MessagesModule } from '../messages/messages.module';
import { UsersModule } from '../users/users.module';
import { ConversationEntity } from './conversation.entity';
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
  controllers: [ConversationsController],
  providers: [
    ConversationsRepository,
    ConversationsService,
    ConversationsGateway,
    ConversationsFanout,
  ],
  exports: [ConversationsService, MembershipModule],
})
export class ConversationsModule {}
