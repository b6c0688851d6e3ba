import type { ServerToClientEvents } from '@chat/shared-dto';

/** A signalling event to deliver, wherever its sockets are. */
export const CALL_SIGNAL = 'call.signal';

type CallEventName = 'call:incoming' | 'call:answered' | 'call:ice' | 'call:ended';

/** Every socket of `users`, and the single devices of `sockets`, but never `exceptSocketId`. */
export interface CallTarget {
  users?: string[];
  sockets?: string[];
  exceptSocketId?: string;
}

export type CallSignalEvent = {
  [E in CallEventName]: {
    event: E;
    payload: Parameters<ServerToClientEvents[E]>[0];
    to: CallTarget;
  };
}[CallEventName];

declare module '../core/events/domain-events' {
  interface DomainEventMap {
    [CALL_SIGNAL]: CallSignalEvent;
  }
}
