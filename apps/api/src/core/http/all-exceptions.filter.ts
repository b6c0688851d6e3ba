import {
  ArgumentsHost,
  Catch,
  ExceptionFilter,
  HttpException,
  HttpStatus,
  Logger,
} from '@nestjs/common';
import type { Response } from 'express';
import { badInputFromDatabase, MALFORMED_TEXT } from '../database/pg-errors';
import { RateLimitedException } from './rate-limited.exception';
import { isServiceUnavailable } from './unavailable';

interface HttpErrorLike {
  status?: number;
  statusCode?: number;
  type?: string;
  expose?: boolean;
  message?: string;
}

const REASONS: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  409: 'Conflict',
  413: 'Payload Too Large',
  415: 'Unsupported Media Type',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

/**
 * The last word on every HTTP error: Nest exceptions pass through, errors raised by the body
 * parser or multer keep their 4xx, database errors caused by bad input map to 400/409, and
 * everything else is logged and answered with a bare 500.
 */
@Catch()
export class AllExceptionsFilter implements ExceptionFilter {
  private readonly logger = new Logger('ExceptionFilter');

  catch(exception: unknown, host: ArgumentsHost): void {
    if (host.getType() !== 'http') return;
    const res = host.switchToHttp().getResponse<Response>();
    if (res.headersSent) return;

    if (exception instanceof RateLimitedException) {
      res.setHeader('Retry-After', String(exception.retryAfterSeconds));
    }
    if (exception instanceof HttpException) {
      const body = exception.getResponse();
      res
        .status(exception.getStatus())
        .json(typeof body === 'string' ? this.body(exception.getStatus(), body) : body);
      return;
    }

    const clientError = this.clientError(exception);
    if (clientError) {
      res.status(clientError.status).json(this.body(clientError.status, clientError.message));
      return;
    }

    if (isServiceUnavailable(exception)) {
      this.logger.warn(`service unavailable: ${(exception as Error).message}`);
      res.setHeader('Retry-After', '5');
      res
        .status(HttpStatus.SERVICE_UNAVAILABLE)
        .json(this.body(503, 'Service temporarily unavailable, try again'));
      return;
    }
    this.logger.error(
      exception instanceof Error ? (exception.stack ?? exception.message) : String(exception),
    );
    res.status(HttpStatus.INTERNAL_SERVER_ERROR).json(this.body(500, 'Internal server error'));
  }

  private clientError(exception: unknown): { status: number; message: string } | null {
    const fromDatabase = badInputFromDatabase(exception);
    if (fromDatabase) return fromDatabase;
    if (exception instanceof URIError) return { status: 400, message: MALFORMED_TEXT };
    const err = exception as HttpErrorLike | null;
    const status = err?.status ?? err?.statusCode;
    if (typeof status === 'number' && status >= 400 && status < 500) {
      return {
        status,
        message: err?.expose === false ? 'Bad request' : (err?.message ?? 'Bad request'),
      };
    }
    return null;
  }

  private body(statusCode: number, message: string) {
    return { statusCode, message, error: REASONS[statusCode] ?? 'Error' };
  }
}
