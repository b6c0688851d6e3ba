/** Someone started or stopped typing in a conversation (relayed, throttled). */
export const TYPING_CHANGED = 'typing.changed';

export interface TypingChangedEvent {
  conversationId: string;
  userId: string;
  typing: boolean;
  /** The conversation's other members. */
  notify: string[];
}

declare module '../core/events/domain-events' {
  interface DomainEventMap {
    [TYPING_CHANGED]: TypingChangedEvent;
  }
}
