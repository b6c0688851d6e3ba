import type { ConversationView } from '@chat/shared-dto';

/** "Until I unmute": a date no one reaches, so the wire keeps `mutedUntil: ISO | null`. */
export const MUTE_FOREVER = '9999-12-31T23:59:59.999Z';

export interface MuteOption {
  label: string;
  /** The `mutedUntil` to send, from now. */
  until: (now: number) => string;
}

const HOUR = 3600_000;

export const MUTE_OPTIONS: readonly MuteOption[] = [
  { label: 'For 1 hour', until: (now) => new Date(now + HOUR).toISOString() },
  { label: 'For 8 hours', until: (now) => new Date(now + 8 * HOUR).toISOString() },
  { label: 'For a week', until: (now) => new Date(now + 7 * 24 * HOUR).toISOString() },
  { label: 'Until I unmute', until: () => MUTE_FOREVER },
];

export function isMuted(conversation: ConversationView, now: number = Date.now()): boolean {
  const until = conversation.mutedUntil;
  return !!until && Date.parse(until) > now;
}

/** "Muted until 14:30", "Muted until Mon 3 Dec", or "Muted" for forever. */
export function muteLabel(conversation: ConversationView, now: number = Date.now()): string | null {
  if (!isMuted(conversation, now)) return null;
  const until = new Date(conversation.mutedUntil as string);
  if (until.getUTCFullYear() >= 9999) return 'Muted';
  const sameDay = until.toDateString() === new Date(now).toDateString();
  const text = sameDay
    ? until.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })
    : until.toLocaleDateString([], { weekday: 'short', day: 'numeric', month: 'short' });
  return `Muted until ${text}`;
}

/** What the tab title and favicon count: unread messages of conversations that are not muted. */
export function unreadNotMuted(
  conversations: readonly ConversationView[],
  now: number = Date.now(),
): number {
  return conversations.reduce((sum, c) => (isMuted(c, now) ? sum : sum + (c.unreadCount || 0)), 0);
}
