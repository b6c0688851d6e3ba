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
import { byteLimitText, uploadByteLimit } from './multer-options';

/**
 * Put before `FileInterceptor`: multer's LIMIT_FILE_SIZE arrives as a 413 "File too large";
 * this states the limit so that a client can show it.
 */
@Injectable()
export class FileTooLargeInterceptor implements NestInterceptor {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  intercept(_context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const limit = byteLimitText(uploadByteLimit(this.config));
    return next.handle().pipe(
      catchError((err: unknown) =>
        throwError(() =>
          // Multer's own 413 only: the service's image limit already states its size.
          err instanceof PayloadTooLargeException && err.message === 'File too large'
            ? new PayloadTooLargeException(`The file is larger than ${limit}`)
            : err,
        ),
      ),
    );
  }
}
