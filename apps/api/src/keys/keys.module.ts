import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { MembershipModule } from '../conversations/membership.module';
import { UsersModule } from '../users/users.module';
import { DeviceEntity } from './device.entity';
import { KeysController } from './keys.controller';
import { KeysFanout } from './keys.fanout';
import { KeysRepository } from './keys.repository';
import { KeysService } from './keys.service';
import { PreKeyEntity } from './prekey.entity';

/** The key directory of end-to-end encrypted conversations. */
@Module({
  imports: [TypeOrmModule.forFeature([DeviceEntity, PreKeyEntity]), MembershipModule, UsersModule],
  controllers: [KeysController],
  providers: [KeysRepository, KeysService, KeysFanout],
  exports: [KeysService],
})
export class KeysModule {}
