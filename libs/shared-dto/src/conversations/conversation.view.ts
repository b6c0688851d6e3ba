import type { MessageView } from '../messages/message.view';
import type { UserView } from '../users/user.view';

export type ConversationType = 'direct' | 'group';
export type MemberRole = 'owner' | 'admin' | 'member';

/** A member with their role and receipt watermarks, so a client can draw ticks for any message. */
export interface ConversationMemberView extends UserView {
  role: MemberRole;
  lastReadSeq: number;
  lastDeliveredSeq: number;
}

export interface ConversationView {
  id: string;
  type: ConversationType;
  name?: string | null;
  members: ConversationMemberView[];
  lastMessage?: MessageView | null;
  unreadCount: number;
  /** Unread messages that mention the caller. */
  unreadMentions: number;
  /** The conversation's change counter: pass it as `changedSince` to replay what changed. */
  lastRev: number;
  lastReadSeq: number;
  createdAt: string;
  lastActivityAt: string;
  /** The caller's own mute: no pushes (except mentions) until then; null when not muted. */
  mutedUntil?: string | null;
}
