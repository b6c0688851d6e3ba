import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ConversationMemberEntity } from './conversation-member.entity';
import { MembersRepository } from './members.repository';
import { MembershipService } from './membership.service';

/** Owns `conversation_members`: who is in which conversation, roles and watermarks. */
@Module({
  imports: [TypeOrmModule.forFeature([ConversationMemberEntity])],
  providers: [MembersRepository, MembershipService],
  exports: [MembershipService],
})
export class MembershipModule {}
