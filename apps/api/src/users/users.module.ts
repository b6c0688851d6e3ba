import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { MembershipModule } from '../conversations/membership.module';
import { BlocksFanout } from './blocks.fanout';
import { BlocksRepository } from './blocks.repository';
import { BlocksService } from './blocks.service';
import { UserBlockEntity } from './user-block.entity';
import { UserEntity } from './user.entity';
import { UsersController } from './users.controller';
import { UsersRepository } from './users.repository';
import { UsersService } from './users.service';

@Module({
  imports: [TypeOrmModule.forFeature([UserEntity, UserBlockEntity]), MembershipModule],
  controllers: [UsersController],
  providers: [UsersRepository, UsersService, BlocksRepository, BlocksService, BlocksFanout],
  exports: [UsersService, BlocksService],
})
export class UsersModule {}
