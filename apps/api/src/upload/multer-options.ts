import type { MulterModuleOptions } from '@nestjs/platform-express';
import { memoryStorage } from 'multer';
import { AppConfig } from '../core/config/app-config';
import { MULTIPART_LIMITS } from './upload.constants';

/**
 * One file in memory, at most `MAX_FILE_SIZE` bytes: multer stops buffering at the limit,
 * drains the rest of the body unread and fails with LIMIT_FILE_SIZE, which Nest answers 413.
 * The other limits (a second file, extra fields or parts) are 400s. Memory, not disk: the
 * image is decoded from the buffer anyway, and nothing unvetted ever touches the file system.
 */
export function multerOptions(config: AppConfig): MulterModuleOptions {
  return {
    storage: memoryStorage(),
    limits: { ...MULTIPART_LIMITS, fileSize: config.upload.maxFileSize },
  };
}
