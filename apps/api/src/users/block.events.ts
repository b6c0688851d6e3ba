/** A user blocked or unblocked another: presence shown to the blocked one changes at once. */
export const BLOCK_CHANGED = 'block.changed';

export interface BlockChangedEvent {
  blockerId: string;
  blockedId: string;
  blocked: boolean;
}

declare module '../core/events/domain-events' {
  interface DomainEventMap {
    [BLOCK_CHANGED]: BlockChangedEvent;
  }
}
