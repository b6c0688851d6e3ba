import { Module } from '@nestjs/common';
import { MulterModule } from '@nestjs/platform-express';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AppConfig } from '../core/config/app-config';
import { APP_CONFIG } from '../core/config/config.module';
import { FILE_STORAGE, FileStorage } from './file-storage';
import { ImageProcessor } from './image-processor';
import { LocalDiskStorage } from './local-disk.storage';
import { multerOptions } from './multer-options';
import { UploadRateLimitGuard } from './upload-rate-limit.guard';
import { UploadController } from './upload.controller';
import { UploadEntity } from './upload.entity';
import { UploadsCleanup } from './uploads.cleanup';
import { UploadsRepository } from './uploads.repository';
import { UploadsService } from './uploads.service';

/**
 * `POST /api/upload` and `GET /api/uploads/:name` (for the uploader and members of a
 * conversation where the file was sent). Exports `UploadsService` for the ownership check of
 * attachment messages, and the processor and storage for avatars (users module). Needs the
 * global `RateLimitModule` and `AppConfigModule`. Another
 * store (S3-compatible) replaces the `FILE_STORAGE` provider and nothing else.
 */
@Module({
  imports: [
    TypeOrmModule.forFeature([UploadEntity]),
    MulterModule.registerAsync({ inject: [APP_CONFIG], useFactory: multerOptions }),
  ],
  controllers: [UploadController],
  providers: [
    UploadsRepository,
    UploadsService,
    UploadsCleanup,
    ImageProcessor,
    UploadRateLimitGuard,
    {
      provide: FILE_STORAGE,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig): FileStorage => new LocalDiskStorage(config.upload.dir),
    },
  ],
  exports: [UploadsService, ImageProcessor, FILE_STORAGE],
})
export class UploadModule {}
