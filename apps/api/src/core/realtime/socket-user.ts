import type { Socket } from 'socket.io';
import type { AuthUser } from '../auth/auth-user';

/** What the authentication middleware leaves on every accepted socket. */
export interface SocketData {
  user: AuthUser;
}

/** The user the auth middleware put on the socket. */
export const socketUser = (socket: Socket): AuthUser => (socket.data as SocketData).user;
