import type { MessageView } from '@chat/shared-dto';

/** Emitted after a new message is committed (not for a resend of a stored clientId). */
export const MESSAGE_CREATED = 'message.created';
/** Emitted after an edit, a delete or a reaction change is committed. */
export const MESSAGE_UPDATED = 'message.updated';

export interface MessageCreatedEvent {
  message: MessageView;
  /** Every member of the conversation when it was sent, the sender included. */
  memberIds: string[];
  /** The sending socket, which has its ack and needs no copy. */
  originSocketId?: string;
  /** `performance.now()` when the send arrived, for the send-to-deliver latency. */
  receivedAt?: number;
}

export interface MessageUpdatedEvent {
  /** The message as it is now, with its new `rev`. */
  message: MessageView;
  change: 'edited' | 'deleted' | 'reactions';
  /** A deleted message's file that no other message shows: no longer to be served or kept. */
  releasedFileUrl?: string;
}

declare module '../core/events/domain-events' {
  interface DomainEventMap {
    [MESSAGE_CREATED]: MessageCreatedEvent;
    [MESSAGE_UPDATED]: MessageUpdatedEvent;
  }
}
