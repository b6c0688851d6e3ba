import { Injectable } from '@nestjs/common';
import type { ServerToClientEvents } from '@chat/shared-dto';
import { ChatServer, conversationRoom, RealtimeServer, userRoom } from './realtime-server';

/** A broadcast being addressed (`io.to(...)`, then `except`). */
type Target = ReturnType<ChatServer['to']>;
type Payload<E extends keyof ServerToClientEvents> = Parameters<ServerToClientEvents[E]>[0];

/** Who in a conversation's room is left out of a broadcast. */
export interface Except {
  /** The sending socket, which has its ack. */
  socketId?: string;
  /** Users none of whose devices get it (the actor, those they blocked). */
  userIds?: Iterable<string>;
}

/**
 * Sends server events to users, whichever instance their sockets are on. Every socket sits in
 * its `user:<id>` room and in the `conversation:<id>` room of each conversation its user
 * belongs to (joined at connect and on every membership change), so a member joins nothing to
 * receive a conversation's events.
 */
@Injectable()
export class Broadcaster {
  constructor(private readonly realtime: RealtimeServer) {}

  toUsers<E extends keyof ServerToClientEvents>(
    userIds: Iterable<string>,
    event: E,
    payload: Payload<E>,
    exceptSocketId?: string,
  ): void {
    const io = this.realtime.io;
    const rooms = [...userIds].map(userRoom);
    if (!io || rooms.length === 0) return;
    emit(exceptSocketId ? io.to(rooms).except(exceptSocketId) : io.to(rooms), event, payload);
  }

  /** To every member's every device of these conversations (each socket once), but `except`. */
  toConversations<E extends keyof ServerToClientEvents>(
    conversationIds: Iterable<string>,
    event: E,
    payload: Payload<E>,
    except: Except = {},
  ): void {
    const io = this.realtime.io;
    const rooms = [...conversationIds].map(conversationRoom);
    if (!io || rooms.length === 0) return;
    emit(leaveOut(io.to(rooms), except), event, payload);
  }

  toConversation<E extends keyof ServerToClientEvents>(
    conversationId: string,
    event: E,
    payload: Payload<E>,
    except: Except = {},
  ): void {
    this.toConversations([conversationId], event, payload, except);
  }
}

function leaveOut(target: Target, { socketId, userIds = [] }: Except): Target {
  const rooms = [...userIds].map(userRoom);
  if (socketId) rooms.push(socketId);
  return rooms.length > 0 ? target.except(rooms) : target;
}

function emit<E extends keyof ServerToClientEvents>(
  target: Target,
  event: E,
  payload: Payload<E>,
): void {
  (target.emit as (event: E, payload: Payload<E>) => boolean)(event, payload);
}
