/** `GET /api/push/vapid-public-key`: the application server key for `pushManager.subscribe`. */
export interface VapidPublicKeyView {
  /** Uncompressed P-256 public key, base64url. */
  publicKey: string;
}

/** The decrypted body of every Web Push this server sends (one per new message). */
export interface PushPayload {
  conversationId: string;
  messageId: string;
  seq: number;
  /** The sender's name, or the group's name. */
  title: string;
  /** An excerpt of the message ("Photo" for an image); in groups prefixed by the sender. */
  body: string;
}

/** At most this many push subscriptions per user; the next one is refused with a 400. */
export const MAX_PUSH_SUBSCRIPTIONS_PER_USER = 10;
