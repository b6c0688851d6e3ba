import type { Socket } from 'socket.io';
import type { SocketMiddleware } from '../core/realtime/realtime.adapter';
import type { SocketData } from '../core/realtime/socket-user';
import { TokenService } from './token.service';

/** What a refused handshake carries to the client's `connect_error` (`err.data`). */
export interface ConnectErrorData {
  /** UNAUTHORIZED: log in again. INTERNAL: a passing fault, retry the connection. */
  code: 'UNAUTHORIZED' | 'INTERNAL';
  message: string;
}

/** The token from `io(url, { auth: { token } })` or from an `Authorization: Bearer` header. */
export function handshakeToken(socket: Socket): string | null {
  const auth = socket.handshake.auth as { token?: unknown } | undefined;
  if (typeof auth?.token === 'string' && auth.token.length > 0) {
    return auth.token.replace(/^Bearer\s+/i, '');
  }
  const header = socket.handshake.headers.authorization;
  const match = typeof header === 'string' ? /^Bearer\s+(\S+)$/i.exec(header) : null;
  return match?.[1] ?? null;
}

/**
 * Authenticates every connection once, before any gateway sees it: a missing, bad, expired or
 * revoked token is refused with a clear `connect_error`; the caller lands on `socket.data.user`.
 */
export function socketAuthMiddleware(tokens: TokenService): SocketMiddleware {
  return (socket, next) => {
    const token = handshakeToken(socket);
    if (!token) {
      next(connectError('Missing token: connect with io(url, { auth: { token } })'));
      return;
    }
    tokens
      .authenticate(token)
      .then((user) => {
        if (!user) {
          next(connectError('Invalid, expired or revoked token'));
          return;
        }
        (socket.data as SocketData).user = user;
        next();
      })
      .catch(() => next(connectError('Could not check the token, try again', 'INTERNAL')));
  };
}

export function connectError(
  message: string,
  code: ConnectErrorData['code'] = 'UNAUTHORIZED',
): Error {
  const prefix = code === 'UNAUTHORIZED' ? 'Unauthorized' : 'Unavailable';
  const err = new Error(`${prefix}: ${message}`) as Error & { data: ConnectErrorData };
  err.data = { code, message };
  return err;
}
