import { Module } from '@nestjs/common';
import { MembershipModule } from '../conversations/membership.module';
import { UsersModule } from '../users/users.module';
import { TypingFanout } from './typing.fanout';
import { TypingGateway } from './typing.gateway';
import { TypingService } from './typing.service';

@Module({
  imports: [MembershipModule, UsersModule],
  providers: [TypingService, TypingGateway, TypingFanout],
  exports: [TypingService],
})
export class TypingModule {}
