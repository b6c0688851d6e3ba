import type { CallSummary } from '../calls/call.dto';
import type { AttachmentView } from '../upload/upload.view';
import type { EncryptedPayload, EncryptedReactionView } from './encrypted.dto';

/** `system` messages are written by the server (e.g. when encryption is turned on). */
export type MessageType = 'text' | 'image' | 'file' | 'voice' | 'call' | 'system';

export interface MessageView {
  id: string;
  conversationId: string;
  /** Increases by one per message within its conversation: orders messages and reveals gaps. */
  seq: number;
  senderId: string;
  content: string;
  type: MessageType;
  fileUrl?: string | null;
  thumbnailUrl?: string | null;
  /** The file an image, file or voice message carries (absent on tombstones and older images). */
  attachment?: AttachmentView | null;
  clientId: string;
  createdAt: string;
  /** The conversation's change counter when this message last changed (new, edited, deleted, reacted). */
  rev: number;
  editedAt?: string | null;
  /** Set on a tombstone: `content` is '' and no file is attached any more. */
  deletedAt?: string | null;
  replyTo?: ReplyPreview | null;
  reactions: ReactionSummary[];
  /** User ids of the members named as `@username` in the content. */
  mentions: string[];
  /** On a `type: 'call'` message: the call it records. */
  call?: CallSummary | null;
  /**
   * In an end-to-end encrypted conversation: the ciphertext for every device (`content` is '',
   * `mentions` and `reactions` are empty, a file's details live inside).
   */
  encrypted?: EncryptedPayload | null;
  /** In an end-to-end encrypted conversation: each member's reactions, encrypted. */
  encryptedReactions?: EncryptedReactionView[];
  /** On a `type: 'system'` message: what happened. */
  system?: SystemEvent | null;
}

/** What a `system` message records. */
export interface SystemEvent {
  kind: 'encryption-enabled';
}

/** What a reply shows of the message it answers. */
export interface ReplyPreview {
  id: string;
  seq: number;
  senderId: string;
  type: MessageType;
  /** At most 140 characters of the original; '' when it was deleted. */
  excerpt: string;
}

export interface ReactionSummary {
  emoji: string;
  count: number;
  /** The first 20 who reacted, oldest first. */
  userIds: string[];
}

/** Who has a message (`GET /api/conversations/:id/messages/:messageId/receipts`). */
export interface MessageReceiptsView {
  messageId: string;
  seq: number;
  /** The first `limit` (default 100) to have it, earliest first; the counts say how many in all. */
  deliveredTo: ReceiptEntry[];
  readBy: ReceiptEntry[];
  /** Current members the message reached ("delivered to 3,214"). */
  deliveredCount: number;
  /** Current members who read it ("read by 3,214"). */
  readCount: number;
}

export interface ReceiptEntry {
  userId: string;
  at: string;
}
