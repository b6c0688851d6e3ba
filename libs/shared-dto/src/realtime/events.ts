import type { UserView } from '../users/user.view';
import type { SocketError } from '../common/errors';
import type {
  CallAnsweredEvent,
  CallEndedEvent,
  CallIceEvent,
  CallIncomingEvent,
  CallMedia,
} from '../calls/call.dto';
import type { ConversationView } from '../conversations/conversation.view';
import type { EncryptedPayload } from '../messages/encrypted.dto';
import type { MessageView } from '../messages/message.view';
import type { ReceiptEvent } from '../messages/receipt.dto';

/** Every client->server event is acknowledged with one of these. */
export type Ack<T extends object = object> = ({ ok: true } & T) | { ok: false; error: SocketError };
export type AckCallback<T extends object = object> = (ack: Ack<T>) => void;

export interface SendMessagePayload {
  conversationId: string;
  clientId: string;
  content?: string;
  /** An attachment message carries the `url` `POST /api/upload` returned, of the kind it names. */
  type?: 'text' | 'image' | 'file' | 'voice';
  fileUrl?: string;
  replyToId?: string;
  /** In an end-to-end encrypted conversation, instead of `content`. */
  encrypted?: EncryptedPayload;
}

export interface EditMessagePayload {
  conversationId: string;
  messageId: string;
  content?: string;
  encrypted?: EncryptedPayload;
}

export interface EncryptedReactionPayload extends MessageRefPayload {
  encrypted: EncryptedPayload;
}

export interface MessageRefPayload {
  conversationId: string;
  messageId: string;
}

export interface ReactionPayload extends MessageRefPayload {
  emoji: string;
}

export interface ReceiptPayload {
  conversationId: string;
  messageId: string;
}

export interface ConversationRefPayload {
  conversationId: string;
}

export interface ClientToServerEvents {
  'message:send': (payload: SendMessagePayload, ack: AckCallback<{ message: MessageView }>) => void;
  'message:edit': (payload: EditMessagePayload, ack: AckCallback<{ message: MessageView }>) => void;
  'message:delete': (
    payload: MessageRefPayload,
    ack: AckCallback<{ message: MessageView }>,
  ) => void;
  'reaction:add': (payload: ReactionPayload, ack: AckCallback<{ message: MessageView }>) => void;
  'reaction:remove': (payload: ReactionPayload, ack: AckCallback<{ message: MessageView }>) => void;
  'reaction:set-encrypted': (
    payload: EncryptedReactionPayload,
    ack: AckCallback<{ message: MessageView }>,
  ) => void;
  'message:delivered': (payload: ReceiptPayload, ack: AckCallback) => void;
  'message:read': (payload: ReceiptPayload, ack: AckCallback) => void;
  'typing:start': (payload: ConversationRefPayload, ack: AckCallback) => void;
  'typing:stop': (payload: ConversationRefPayload, ack: AckCallback) => void;
  'conversation:join': (payload: ConversationRefPayload, ack: AckCallback) => void;
  'call:invite': (payload: CallInvitePayload, ack: AckCallback) => void;
  'call:answer': (payload: CallAnswerPayload, ack: AckCallback) => void;
  'call:ice': (payload: CallIceEvent, ack: AckCallback) => void;
  'call:end': (payload: { callId: string }, ack: AckCallback) => void;
}

export interface CallInvitePayload {
  conversationId: string;
  callId: string;
  media: CallMedia;
  sdp: string;
}

export interface CallAnswerPayload {
  callId: string;
  sdp: string;
}

export interface TypingEvent {
  conversationId: string;
  userId: string;
}

export interface PresenceEvent {
  userId: string;
  lastSeen?: string | null;
}

/** A user's public profile after a change of display name, status message or avatar. */
export type UserUpdatedEvent = Pick<
  UserView,
  'id' | 'username' | 'displayName' | 'avatarUrl' | 'statusMessage'
>;

/** A user registered or removed a device with encryption keys (`GET /api/keys/users/:id/devices`). */
export interface KeysChangedEvent {
  userId: string;
}

/** Sent to a member removed from (or leaving) a conversation. */
export interface ConversationRemovedEvent {
  conversationId: string;
}

export interface ServerToClientEvents {
  'message:new': (message: MessageView) => void;
  /** An edit, a delete or a reaction change: the message as it is now (its `rev` is newer). */
  'message:updated': (message: MessageView) => void;
  'message:delivered': (event: ReceiptEvent) => void;
  'message:read': (event: ReceiptEvent) => void;
  'typing:start': (event: TypingEvent) => void;
  'typing:stop': (event: TypingEvent) => void;
  'user:online': (event: PresenceEvent) => void;
  'user:offline': (event: PresenceEvent) => void;
  /** To users who share a conversation with them (and their own devices). */
  'user:updated': (user: UserUpdatedEvent) => void;
  /** A conversation the user now belongs to, or whose name or members changed. */
  'conversation:updated': (conversation: ConversationView) => void;
  'conversation:removed': (event: ConversationRemovedEvent) => void;
  /** To users who share a conversation with them, and their own devices. */
  'keys:changed': (event: KeysChangedEvent) => void;
  'call:incoming': (event: CallIncomingEvent) => void;
  'call:answered': (event: CallAnsweredEvent) => void;
  'call:ice': (event: CallIceEvent) => void;
  'call:ended': (event: CallEndedEvent) => void;
}
