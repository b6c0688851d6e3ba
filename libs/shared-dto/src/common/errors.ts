/** The `code` of a socket error ack (CONTRACT.md, "Errors (socket)"). */
export type SocketErrorCode =
  | 'BAD_REQUEST'
  | 'UNAUTHORIZED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'RATE_LIMITED'
  | 'INTERNAL';

export interface SocketError {
  code: SocketErrorCode;
  message: string;
}

/** Nest's REST error body. */
export interface HttpErrorBody {
  statusCode: number;
  message: string | string[];
  error: string;
}
