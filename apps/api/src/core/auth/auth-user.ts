/** The authenticated caller, on `request.user` (REST) and `socket.data.user` (Socket.IO). */
export interface AuthUser {
  id: string;
  username: string;
  /** The session (JWT `jti`) this request or socket authenticated with. */
  sessionId: string;
  /** When the session (and its token) expires, in ms since the epoch. */
  expiresAt: number;
}
