import { Injectable } from '@nestjs/common';
import type { ServerToClientEvents } from '@chat/shared-dto';
import { RealtimeServer, userRoom } from './realtime-server';

/**
 * Sends server events to users, whichever instance their sockets are on: every socket sits in
 * its `user:<id>` room, so a member needs to join nothing to receive a conversation's events.
 */
@Injectable()
export class Broadcaster {
  constructor(private readonly realtime: RealtimeServer) {}

  toUsers<E extends keyof ServerToClientEvents>(
    userIds: Iterable<string>,
    event: E,
    payload: Parameters<ServerToClientEvents[E]>[0],
    exceptSocketId?: string,
  ): void {
    const io = this.realtime.io;
    const rooms = [...userIds].map(userRoom);
    if (!io || rooms.length === 0) return;
    const target = exceptSocketId ? io.to(rooms).except(exceptSocketId) : io.to(rooms);
    (target.emit as (event: E, payload: Parameters<ServerToClientEvents[E]>[0]) => boolean)(
      event,
      payload,
    );
  }
}
