import type { MessageView } from '@chat/shared-dto';
/** Emitted after a new message is committed (not for a resend of a stored clientId). */
export const MESSAGE_CREATED = 'message.created';
export interface MessageCreatedEvent {
  message: MessageView;
  /** Every member of the conversation when it was sent, the sender included. */
  memberIds: string[];
}
