import type { ConversationView, UserView } from '@chat/shared-dto';
import {
  differenceInCalendarDays,
  differenceInMinutes,
  format,
  formatDistanceToNowStrict,
  isSameDay,
  isSameYear,
  isToday,
  isYesterday,
} from 'date-fns';

export function displayName(
  user: Pick<UserView, 'username' | 'displayName'> | null | undefined,
): string {
  if (!user) return 'Unknown';
  return user.displayName?.trim() || user.username;
}

export function initials(name: string): string {
  const parts = name
    .trim()
    .split(/[\s._-]+/)
    .filter(Boolean);
  if (!parts.length) return '?';
  const letters =
    parts.length === 1 ? parts[0].slice(0, 2) : parts[0][0] + parts[parts.length - 1][0];
  return letters.toUpperCase();
}

/**
 * The one avatar colour rule: a stable hue from a user's id (a group's from its conversation
 * id). Every avatar goes through `chat-avatar`, which calls this, so a person has one colour in
 * the list, the search, the header and the member lists.
 */
export function hueOf(id: string): number {
  let hash = 0;
  for (let i = 0; i < id.length; i++) hash = (hash * 31 + id.charCodeAt(i)) | 0;
  return Math.abs(hash) % 360;
}

/** The other member of a direct conversation (yourself in a note-to-self). */
export function otherMember(conversation: ConversationView, selfId: string | null) {
  return (
    conversation.members.find((member) => member.id !== selfId) ??
    conversation.members.find((member) => member.id === selfId) ??
    null
  );
}

/** Whose picture and colour stand for a conversation: the other member's, or the group's own. */
export function conversationAvatar(
  conversation: ConversationView,
  selfId: string | null,
): { id: string; url: string | null; group: boolean } {
  if (conversation.type === 'group') return { id: conversation.id, url: null, group: true };
  const other = otherMember(conversation, selfId);
  return { id: other?.id ?? conversation.id, url: other?.avatarUrl ?? null, group: false };
}

/** "Ana Lima (@ana)": a display name is not unique, the username is. */
export function nameWithHandle(user: Pick<UserView, 'username' | 'displayName'>): string {
  const name = displayName(user);
  return name === user.username ? `@${user.username}` : `${name} (@${user.username})`;
}

/**
 * "3 members, 2 online", counting the viewer (online whenever connected). While the viewer's
 * own connection is down, others' presence is stale: say so instead of showing it.
 */
export function groupPresence(
  conversation: Pick<ConversationView, 'members'> & Partial<Pick<ConversationView, 'memberCount'>>,
  selfId: string | null,
  connection: 'live' | 'offline' | 'connecting',
): string {
  // A large group embeds only its first members; the count is the whole group's.
  const count = conversation.memberCount ?? conversation.members.length;
  const members = `${count} member${count === 1 ? '' : 's'}`;
  if (connection === 'offline') return `${members}, waiting for network`;
  if (connection === 'connecting') return `${members}, connecting…`;
  const online = conversation.members.filter(
    (member) => member.id === selfId || member.status === 'online',
  ).length;
  return `${members}, ${online} online`;
}

export function conversationTitle(conversation: ConversationView, selfId: string | null): string {
  if (conversation.type === 'group') {
    return (
      conversation.name?.trim() ||
      conversation.members.map((m) => displayName(m)).join(', ') ||
      'Group'
    );
  }
  return displayName(otherMember(conversation, selfId));
}

/** Short, list-style time: "now", "5m", "3h", "Mon", "12 Mar", "12 Mar 2023". */
export function shortTime(iso: string | null | undefined, now: number = Date.now()): string {
  if (!iso) return '';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '';
  const minutes = differenceInMinutes(now, date);
  if (minutes < 1) return 'now';
  if (minutes < 60) return `${minutes}m`;
  if (minutes < 24 * 60 && isSameDay(date, now)) return format(date, 'HH:mm');
  if (differenceInCalendarDays(now, date) < 7) return format(date, 'EEE');
  return isSameYear(date, now) ? format(date, 'd MMM') : format(date, 'd MMM yyyy');
}

export function clockTime(iso: string): string {
  return format(new Date(iso), 'HH:mm');
}

export function fullTime(iso: string): string {
  return format(new Date(iso), 'EEEE, d MMMM yyyy, HH:mm');
}

export function dayLabel(iso: string, now: number = Date.now()): string {
  const date = new Date(iso);
  if (isToday(date)) return 'Today';
  if (isYesterday(date)) return 'Yesterday';
  return isSameYear(date, now) ? format(date, 'EEEE, d MMMM') : format(date, 'EEEE, d MMMM yyyy');
}

export function dayKey(iso: string): string {
  return format(new Date(iso), 'yyyy-MM-dd');
}

/** "last seen 5 minutes ago" / "last seen recently". */
export function lastSeenText(
  lastSeen: string | null | undefined,
  now: number = Date.now(),
): string {
  if (!lastSeen) return 'offline';
  const date = new Date(lastSeen);
  if (Number.isNaN(date.getTime())) return 'offline';
  if (differenceInMinutes(now, date) < 1) return 'last seen just now';
  return `last seen ${formatDistanceToNowStrict(date, { addSuffix: true })}`;
}

/** "Ana is typing…", "Ana and Bob are typing…", "3 people are typing…". */
export function typingText(names: readonly string[]): string {
  if (!names.length) return '';
  if (names.length === 1) return `${names[0]} is typing…`;
  if (names.length === 2) return `${names[0]} and ${names[1]} are typing…`;
  return `${names.length} people are typing…`;
}

/** "0:03", "4:12", "1:02:03": a call's or a voice note's length or position, as a phone shows it. */
export function clockDuration(ms: number): string {
  const total = Number.isFinite(ms) ? Math.max(0, Math.floor(ms / 1000)) : 0;
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = String(total % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${s}` : `${m}:${s}`;
}
