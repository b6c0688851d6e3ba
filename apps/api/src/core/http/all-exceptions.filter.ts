import {
  ArgumentsHost,
  Catch,
  ExceptionFilter,
  HttpException,
  HttpStatus,
  Logger,
} from '@nestjs/common';
import type { Response } from 'express';
import { QueryFailedError } from 'typeorm';
import { RateLimitedException } from './rate-limited.exception';

interface HttpErrorLike {
  status?: number;
  statusCode?: number;
  type?: string;
  expose?: boolean;
  message?: string;
}

/** PostgreSQL error codes that mean bad input rather than a fault of ours. */
const PG_BAD_INPUT: Record<string, { status: number; message: string }> = {
  '22P02': { status: 400, message: 'malformed value' },
  '22001': { status: 400, message: 'value too long' },
  '22003': { status: 400, message: 'number out of range' },
  '22021': { status: 400, message: 'invalid character' },
  '23505': { status: 409, message: 'already exists' },
  '23503': { status: 400, message: 'refers to something that does not exist' },
};

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

    this.logger.error(
      exception instanceof Error ? (exception.stack ?? exception.message) : String(exception),
    );
    res.status(HttpStatus.INTERNAL_SERVER_ERROR).json(this.body(500, 'Internal server error'));
  }

  private clientError(exception: unknown): { status: number; message: string } | null {
    if (exception instanceof QueryFailedError) {
      const code = (exception.driverError as { code?: string } | undefined)?.code;
      return code ? (PG_BAD_INPUT[code] ?? null) : null;
    }
    const err = exception as HttpErrorLike | null;
    const status = err?.status ?? err?.statusCode;
    if (typeof status === 'number' && status >= 400 && status < 500) {
      return { status, message: err?.expose === false ? 'Bad request' : (err?.message ?? 'Bad request') };
    }
    return null;
  }

  private body(statusCode: number, message: string) {
    return { statusCode, message, error: REASONS[statusCode] ?? 'Error' };
  }
}
