import type { Socket } from 'socket.io';
import type { AuthUser } from '../../auth/auth-user';
import type { SocketData } from '../../auth/socket-auth.middleware';

/** The user the auth middleware put on the socket. */
export const socketUser = (socket: Socket): AuthUser => (socket.data as SocketData).user;
