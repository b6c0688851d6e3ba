import { Module } from '@nestjs/common';
import { MulterModule } from '@nestjs/platform-express';
import { TypeOrmModule } from '@nestjs/typeorm';
import { APP_CONFIG } from '../core/config/config.module';
import { multerOptions } from '../upload/multer-options';
import { UploadModule } from '../upload/upload.module';
import { UploadRateLimitGuard } from '../upload/upload-rate-limit.guard';
import { AvatarsController } from './avatars.controller';
import { AvatarsService } from './avatars.service';
import { MembershipModule } from '../conversations/membership.module';
import { BlocksFanout } from './blocks.fanout';
import { BlocksRepository } from './blocks.repository';
import { BlocksService } from './blocks.service';
import { UserBlockEntity } from './user-block.entity';
import { UserEntity } from './user.entity';
import { UsersController } from './users.controller';
import { UsersFanout } from './users.fanout';
import { UsersRepository } from './users.repository';
import { UsersService } from './users.service';

@Module({
  imports: [
    TypeOrmModule.forFeature([UserEntity, UserBlockEntity]),
    MembershipModule,
    UploadModule,
    MulterModule.registerAsync({ inject: [APP_CONFIG], useFactory: multerOptions }),
  ],
  controllers: [UsersController, AvatarsController],
  providers: [
    UsersRepository,
    UsersService,
    BlocksRepository,
    BlocksService,
    BlocksFanout,
    AvatarsService,
    UploadRateLimitGuard,
    UsersFanout,
  ],
  exports: [UsersService, BlocksService],
})
export class UsersModule {}
