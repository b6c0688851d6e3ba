import type {
  ConversationMemberView,
  ConversationView,
  MessageView,
  UserView,
} from '@chat/shared-dto';
import { ConversationEntity } from './conversation.entity';
import { MemberRow, OwnMembershipRow } from './members.repository';

export function toMemberView(row: MemberRow, user: UserView): ConversationMemberView {
  return {
    ...user,
    role: row.role,
    lastReadSeq: Number(row.last_read_seq),
    lastDeliveredSeq: Number(row.last_delivered_seq),
  };
}

export function toConversationView(
  conversation: ConversationEntity,
  own: OwnMembershipRow,
  members: ConversationMemberView[],
  memberCount: number,
  lastMessage: MessageView | null,
  unread: { notNews: number; mentions: number } = { notNews: 0, mentions: 0 },
): ConversationView {
  const lastSeq = Number(conversation.lastSeq);
  const lastReadSeq = Math.min(Number(own.last_read_seq), lastSeq);
  return {
    id: conversation.id,
    type: conversation.type,
    name: conversation.name,
    members,
    memberCount,
    lastMessage,
    // The sender's own sends move their read watermark, so everything past it is from others.
    // Tombstones and system lines are not news.
    unreadCount: Math.max(0, lastSeq - lastReadSeq - unread.notNews),
    unreadMentions: unread.mentions,
    lastReadSeq,
    lastRev: Number(conversation.lastRev),
    createdAt: conversation.createdAt.toISOString(),
    lastActivityAt: (conversation.lastMessageAt ?? conversation.createdAt).toISOString(),
    // A mute that has run out is no mute: clients need not compare clocks.
    mutedUntil:
      own.muted_until && new Date(own.muted_until).getTime() > Date.now()
        ? new Date(own.muted_until).toISOString()
        : null,
    encrypted: conversation.encryptedAt !== null,
    encryptedAt: conversation.encryptedAt?.toISOString() ?? null,
  };
}
