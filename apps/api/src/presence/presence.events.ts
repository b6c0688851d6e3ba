/** A user came online (first device) or went offline (a grace period after the last). */
export const PRESENCE_CHANGED = 'presence.changed';

export interface PresenceChangedEvent {
  userId: string;
  online: boolean;
  lastSeen?: string;
  /** Everyone who shares a conversation with the user, except those the user blocked. */
  notify: string[];
}

declare module '../core/events/domain-events' {
  interface DomainEventMap {
    [PRESENCE_CHANGED]: PresenceChangedEvent;
  }
}
