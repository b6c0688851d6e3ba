import { Injectable } from '@nestjs/common';
import type { Server } from 'socket.io';
import type { ClientToServerEvents, ServerToClientEvents } from '@chat/shared-dto';

export type ChatServer = Server<ClientToServerEvents, ServerToClientEvents>;

/** Rooms every socket joins at connection: one per user and one per login session. */
export const userRoom = (userId: string) => `user:${userId}`;
export const sessionRoom = (sessionId: string) => `session:${sessionId}`;

/**
 * The Socket.IO server, for services that must reach sockets (broadcasts, disconnecting a
 * revoked session). With the Redis adapter, room operations reach every instance.
 */
@Injectable()
export class RealtimeServer {
  private server?: ChatServer;

  attach(server: ChatServer): void {
    this.server = server;
  }

  get io(): ChatServer | undefined {
    return this.server;
  }

  /** Disconnects the sockets of these sessions, on whichever instance they are. */
  disconnectSessions(sessionIds: string[]): void {
    if (!this.server || sessionIds.length === 0) return;
    this.server.in(sessionIds.map(sessionRoom)).disconnectSockets(true);
  }
}
