import { ArgumentsHost, Catch, HttpException, Logger, WsExceptionFilter } from '@nestjs/common';
import { WsException } from '@nestjs/websockets';
import type { Ack, SocketError, SocketErrorCode } from '@chat/shared-dto';
import { badInputFromDatabase, MALFORMED_TEXT } from '../database/pg-errors';

const STATUS_CODES: Record<number, SocketErrorCode> = {
  400: 'BAD_REQUEST',
  401: 'UNAUTHORIZED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  409: 'CONFLICT',
  413: 'BAD_REQUEST',
  415: 'BAD_REQUEST',
  429: 'RATE_LIMITED',
};

/** Every socket error becomes the event's ack `{ ok: false, error: { code, message } }`. */
@Catch()
export class AckExceptionFilter implements WsExceptionFilter {
  private readonly logger = new Logger('SocketErrors');

  catch(exception: unknown, host: ArgumentsHost): void {
    const ack = host
      .getArgs()
      .find((arg): arg is (response: Ack) => void => typeof arg === 'function');
    const error = this.toSocketError(exception);
    if (ack) ack({ ok: false, error });
  }

  private toSocketError(exception: unknown): SocketError {
    if (exception instanceof WsException) {
      const err = exception.getError();
      if (typeof err === 'object' && err !== null && 'code' in err) return err as SocketError;
      return { code: 'BAD_REQUEST', message: String(err) };
    }
    if (exception instanceof HttpException) {
      const response = exception.getResponse();
      const message =
        typeof response === 'object' && response !== null && 'message' in response
          ? ([] as unknown[]).concat((response as { message: unknown }).message).join('; ')
          : exception.message;
      return { code: STATUS_CODES[exception.getStatus()] ?? 'INTERNAL', message };
    }
    const fromDatabase = badInputFromDatabase(exception);
    if (fromDatabase)
      return { code: STATUS_CODES[fromDatabase.status], message: fromDatabase.message };
    if (exception instanceof URIError) return { code: 'BAD_REQUEST', message: MALFORMED_TEXT };
    this.logger.error(
      exception instanceof Error ? (exception.stack ?? exception.message) : String(exception),
    );
    return { code: 'INTERNAL', message: 'Internal error' };
  }
}
