import { Module } from '@nestjs/common';
import { MembershipModule } from '../conversations/membership.module';
import { UsersModule } from '../users/users.module';
import { PresenceFanout } from './presence.fanout';
import { PresenceGateway } from './presence.gateway';
import { PresenceService } from './presence.service';

/** Online/offline by device count across instances; persisted on the user, told to contacts. */
@Module({
  imports: [UsersModule, MembershipModule],
  providers: [PresenceService, PresenceGateway, PresenceFanout],
  exports: [PresenceService],
})
export class PresenceModule {}
