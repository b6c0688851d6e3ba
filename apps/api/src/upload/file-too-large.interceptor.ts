import {
  CallHandler,
  ExecutionContext,
  Inject,
  Injectable,
  NestInterceptor,
  PayloadTooLargeException,
} from '@nestjs/common';
import { catchError, Observable, throwError } from 'rxjs';
import { AppConfig } from '../core/config/app-config';
import { APP_CONFIG } from '../core/config/config.module';

/**
 * Put before `FileInterceptor`: multer's LIMIT_FILE_SIZE arrives as a 413 "File too large";
 * this states the limit so that a client can show it.
 */
@Injectable()
export class FileTooLargeInterceptor implements NestInterceptor {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  intercept(_context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const max = this.config.upload.maxFileSize;
    const limit = max % (1024 * 1024) === 0 ? `${max / (1024 * 1024)} MiB` : `${max} bytes`;
    return next
      .handle()
      .pipe(
        catchError((err: unknown) =>
          throwError(() =>
            err instanceof PayloadTooLargeException
              ? new PayloadTooLargeException(`The file is larger than ${limit}`)
              : err,
          ),
        ),
      );
  }
}
