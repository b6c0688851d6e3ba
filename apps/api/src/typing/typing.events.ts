/** Someone started or stopped typing in a conversation (relayed, throttled). */
export const TYPING_CHANGED = 'typing.changed';

export interface TypingChangedEvent {
  conversationId: string;
  userId: string;
  typing: boolean;
  /** Left out of the conversation's room: the typer and those they blocked. */
  except: string[];
}

declare module '../core/events/domain-events' {
  interface DomainEventMap {
    [TYPING_CHANGED]: TypingChangedEvent;
  }
}
