import type { MulterModuleOptions } from '@nestjs/platform-express';
import { memoryStorage } from 'multer';
import { AppConfig } from '../core/config/app-config';
import { MULTIPART_LIMITS } from './upload.constants';

/**
 * One file in memory, at most `MAX_ATTACHMENT_SIZE` bytes (or `MAX_FILE_SIZE` if larger): multer stops buffering at the limit,
 * drains the rest of the body unread and fails with LIMIT_FILE_SIZE, which Nest answers 413.
 * The other limits (a second file, extra fields or parts) are 400s. Memory, not disk: the
 * image is decoded from the buffer anyway, and nothing unvetted ever touches the file system.
 */
export function multerOptions(config: AppConfig): MulterModuleOptions {
  return {
    storage: memoryStorage(),
    limits: { ...MULTIPART_LIMITS, fileSize: uploadByteLimit(config) },
  };
}

/** The larger limit (images have their own, checked once their type is known). */
export function uploadByteLimit(config: Pick<AppConfig, 'upload'>): number {
  return Math.max(config.upload.maxFileSize, config.upload.maxAttachmentSize);
}

/** A limit as a client can show it. */
export function byteLimitText(bytes: number): string {
  return bytes % (1024 * 1024) === 0 ? `${bytes / (1024 * 1024)} MiB` : `${bytes} bytes`;
}
