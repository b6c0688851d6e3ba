/** A user came online (first device) or went offline (a grace period after the last). */
export const PRESENCE_CHANGED = 'presence.changed';

export interface PresenceChangedEvent {
  userId: string;
  online: boolean;
  lastSeen?: string;
  /** Told: the members of the user's conversations (their rooms)... */
  conversationIds: string[];
  /** ...except the user themself and those the user blocked. */
  except: string[];
}

declare module '../core/events/domain-events' {
  interface DomainEventMap {
    [PRESENCE_CHANGED]: PresenceChangedEvent;
  }
}
