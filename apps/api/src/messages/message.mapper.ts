import type {
  AttachmentView,
  CallSummary,
  EncryptedPayload,
  EncryptedReactionView,
  MessageView,
  ReactionSummary,
  ReplyPreview,
} from '@chat/shared-dto';
import { thumbnailUrlFor } from '../upload/upload-name';

/** What a reply shows of its original, as the message queries select it. */
export interface ReplyRow {
  id: string;
  seq: string | number;
  sender_id: string;
  message_type: MessageView['type'];
  /** Already cut to the excerpt length. */
  content: string;
  deleted_at: string | Date | null;
}

/** A `messages` row as the pg driver (or `json_agg`) returns it. */
export interface MessageRow {
  id: string;
  conversation_id: string;
  seq: string;
  sender_id: string;
  content: string;
  message_type: MessageView['type'];
  file_url: string | null;
  client_id: string;
  created_at: Date | string;
  rev: string;
  edited_at: Date | string | null;
  deleted_at: Date | string | null;
  reply_to_id: string | null;
  mentions: string[] | null;
  /** Set on a `call` message only. */
  call?: CallSummary | null;
  /** Set on a message of an end-to-end encrypted conversation only. */
  encrypted?: EncryptedPayload | null;
  /** The original of a reply, when the query joined it. */
  reply?: ReplyRow | null;
}

const iso = (value: Date | string | null | undefined): string | null =>
  value ? new Date(value).toISOString() : null;

function toReplyPreview(reply: ReplyRow): ReplyPreview {
  return {
    id: reply.id,
    seq: Number(reply.seq),
    senderId: reply.sender_id,
    type: reply.message_type,
    excerpt: reply.deleted_at ? '' : reply.content,
  };
}

/** `attachment`: the upload behind `file_url`, which the uploads module describes. */
export function toMessageView(
  row: MessageRow,
  reactions: ReactionSummary[] = [],
  attachment: AttachmentView | null = null,
  encryptedReactions: EncryptedReactionView[] = [],
): MessageView {
  return {
    id: row.id,
    conversationId: row.conversation_id,
    seq: Number(row.seq),
    senderId: row.sender_id,
    content: row.content,
    type: row.message_type,
    fileUrl: row.file_url,
    thumbnailUrl:
      row.message_type === 'image' && row.file_url ? thumbnailUrlFor(row.file_url) : null,
    attachment: row.file_url ? attachment : null,
    clientId: row.client_id,
    createdAt: new Date(row.created_at).toISOString(),
    rev: Number(row.rev),
    editedAt: iso(row.edited_at),
    deletedAt: iso(row.deleted_at),
    replyTo: row.reply ? toReplyPreview(row.reply) : null,
    reactions,
    mentions: row.mentions ?? [],
    // Only call, system and encrypted messages carry their fields, so every other message
    // reads as before.
    ...(row.call ? { call: row.call } : {}),
    ...(row.message_type === 'system' ? { system: { kind: 'encryption-enabled' as const } } : {}),
    ...(row.encrypted ? { encrypted: row.encrypted, encryptedReactions } : {}),
  };
}
