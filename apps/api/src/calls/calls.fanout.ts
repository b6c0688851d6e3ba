import { Injectable } from '@nestjs/common';
import { OnDomainEvent } from '../core/events/domain-events';
import { RealtimeServer, userRoom } from '../core/realtime/realtime-server';
import { CALL_SIGNAL, CallSignalEvent } from './calls.events';

/**
 * Delivers call signalling. A socket id is a room of its own, so with the Redis adapter a single
 * device on another instance is reached like a user room: ICE and answers go to the one peer
 * device of the call, ringing to every device of the callee.
 */
@Injectable()
export class CallsFanout {
  constructor(private readonly realtime: RealtimeServer) {}

  @OnDomainEvent(CALL_SIGNAL)
  signal({ event, payload, to }: CallSignalEvent): void {
    const io = this.realtime.io;
    const rooms = [...(to.users ?? []).map(userRoom), ...(to.sockets ?? [])];
    if (!io || rooms.length === 0) return;
    const target = to.exceptSocketId ? io.to(rooms).except(to.exceptSocketId) : io.to(rooms);
    (target.emit as (event: string, payload: unknown) => boolean)(event, payload);
  }
}
