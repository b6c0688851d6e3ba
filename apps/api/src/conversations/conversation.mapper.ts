import type {
  ConversationMemberView,
  ConversationView,
  MemberRole,
  MessageView,
} from '@chat/shared-dto';

/** A row of the conversation list query (snake_case from SQL). */
export interface ConversationRow {
  id: string;
  type: 'direct' | 'group';
  name: string | null;
  created_at: Date;
  last_seq: string;
  last_message_at: Date | null;
  my_last_read_seq: string;
  my_muted_until?: Date | null;
}

export interface MemberRow {
  conversation_id: string;
  user_id: string;
  role: MemberRole;
  last_read_seq: string;
  last_delivered_seq: string;
  username: string;
  display_name: string | null;
  avatar_url: string | null;
  status_message: string | null;
  status: 'online' | 'offline';
  last_seen: Date | null;
}

export function toMemberView(row: MemberRow): ConversationMemberView {
  return {
    id: row.user_id,
    username: row.username,
    displayName: row.display_name,
    avatarUrl: row.avatar_url,
    statusMessage: row.status_message,
    status: row.status,
    lastSeen: row.last_seen ? row.last_seen.toISOString() : null,
    role: row.role,
    lastReadSeq: Number(row.last_read_seq),
    lastDeliveredSeq: Number(row.last_delivered_seq),
  };
}

export function toConversationView(
  row: ConversationRow,
  members: MemberRow[],
  lastMessage: MessageView | null,
): ConversationView {
  const lastSeq = Number(row.last_seq);
  const lastReadSeq = Math.min(Number(row.my_last_read_seq), lastSeq);
  return {
    id: row.id,
    type: row.type,
    name: row.name,
    members: members.map(toMemberView),
    lastMessage,
    // The sender's own sends move their read watermark, so everything past it is from others.
    unreadCount: Math.max(0, lastSeq - lastReadSeq),
    lastReadSeq,
    createdAt: row.created_at.toISOString(),
    lastActivityAt: (row.last_message_at ?? row.created_at).toISOString(),
    // A mute that has run out is no mute: clients need not compare clocks.
    mutedUntil:
      row.my_muted_until && new Date(row.my_muted_until).getTime() > Date.now()
        ? new Date(row.my_muted_until).toISOString()
        : null,
  };
}
