import { Injectable } from '@nestjs/common';
import type { Server } from 'socket.io';
import type { ClientToServerEvents, ServerToClientEvents } from '@chat/shared-dto';

export type ChatServer = Server<ClientToServerEvents, ServerToClientEvents>;

/** Rooms every socket joins at connection: one per user and one per login session. */
export const userRoom = (userId: string) => `user:${userId}`;
export const sessionRoom = (sessionId: string) => `session:${sessionId}`;
/**
 * One per conversation, holding its members' sockets: a broadcast to a 10,000-member group is
 * one room on the wire (and one Redis publish), not 10,000 user rooms.
 */
export const conversationRoom = (conversationId: string) => `conversation:${conversationId}`;
export const CONVERSATION_ROOM_PREFIX = 'conversation:';

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

  /**
   * Puts every socket of these users, on whichever instance, in the conversation's room. With
   * the Redis adapter the request is published before any later broadcast, so a message sent
   * after this returns reaches them.
   */
  joinConversation(conversationId: string, userIds: string[]): void {
    if (!this.server || userIds.length === 0) return;
    this.server.in(userIds.map(userRoom)).socketsJoin(conversationRoom(conversationId));
  }

  /** Takes every socket of these users, on whichever instance, out of the conversation's room. */
  leaveConversation(conversationId: string, userIds: string[]): void {
    if (!this.server || userIds.length === 0) return;
    this.server.in(userIds.map(userRoom)).socketsLeave(conversationRoom(conversationId));
  }

  /** Disconnects the sockets of these sessions, on whichever instance they are. */
  disconnectSessions(sessionIds: string[]): void {
    if (!this.server || sessionIds.length === 0) return;
    this.server.in(sessionIds.map(sessionRoom)).disconnectSockets(true);
  }
}
