import type { MessageView } from '@chat/shared-dto';
import { thumbnailUrlFor } from '../upload/upload-name';

/** A `messages` row as the pg driver returns it. */
export interface MessageRow {
  id: string;
  conversation_id: string;
  seq: string;
  sender_id: string;
  content: string;
  message_type: 'text' | 'image';
  file_url: string | null;
  client_id: string;
  created_at: Date;
}

export function toMessageView(row: MessageRow): MessageView {
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
    clientId: row.client_id,
    createdAt: new Date(row.created_at).toISOString(),
  };
}
