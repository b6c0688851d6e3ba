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
  /**
   * Everyone for groups up to `embeddedMembersMax` (256); a larger group embeds its first 256 in
   * joining order plus the viewer, and the rest page through `GET /api/conversations/:id/members`.
   */
  members: ConversationMemberView[];
  /** How many members the conversation has, embedded or not. */
  memberCount: number;
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
  /** Direct conversations only: messages are end-to-end encrypted (CONTRACT.md); never turned off. */
  encrypted: boolean;
  encryptedAt?: string | null;
}

/** `GET /api/conversations/:id/members`: a page of members in ascending user id. */
export interface MembersPageView {
  members: ConversationMemberView[];
  /** Pass as `after` for the next page; absent on the last page. */
  next?: string;
}
