import type { ConversationMemberView } from '@chat/shared-dto';
import type { TextSegment } from './link-segments';

/** An `@name` being typed right before the caret. */
export interface MentionQuery {
  /** Index of the "@". */
  start: number;
  /** What follows the "@" so far (may be empty). */
  query: string;
}

export type MentionCandidate = Pick<
  ConversationMemberView,
  'id' | 'username' | 'displayName' | 'avatarUrl'
>;

const TYPING_MENTION = /(?:^|[^\p{L}\p{N}_@.-])@([A-Za-z0-9_.-]{0,32})$/u;
const MAX_CANDIDATES = 8;

/** The mention the caret is in, if any: "hi @an|" gives `{ start: 3, query: 'an' }`. */
export function mentionAt(text: string, caret: number): MentionQuery | null {
  const match = TYPING_MENTION.exec(text.slice(0, caret));
  if (!match) return null;
  const query = match[1];
  return { start: caret - query.length - 1, query };
}

/**
 * Members matching what was typed: username prefix first, then display-name word prefix, then
 * anywhere in either; never the user themself.
 */
export function filterMentionCandidates<T extends MentionCandidate>(
  members: readonly T[],
  query: string,
  selfId: string | null,
): T[] {
  const q = query.toLowerCase();
  const ranked: { member: T; rank: number }[] = [];
  for (const member of members) {
    if (member.id === selfId) continue;
    const username = member.username.toLowerCase();
    const name = (member.displayName ?? '').toLowerCase();
    let rank = -1;
    if (username.startsWith(q)) rank = 0;
    else if (name.split(/\s+/).some((word) => word.startsWith(q))) rank = 1;
    else if (username.includes(q) || name.includes(q)) rank = 2;
    if (rank >= 0) ranked.push({ member, rank });
  }
  return ranked
    .sort((a, b) => a.rank - b.rank || a.member.username.localeCompare(b.member.username))
    .slice(0, MAX_CANDIDATES)
    .map((entry) => entry.member);
}

/** Replaces the typed `@query` with `@username ` and says where the caret goes. */
export function insertMention(
  text: string,
  mention: MentionQuery,
  username: string,
): { text: string; caret: number } {
  const end = mention.start + 1 + mention.query.length;
  const after = text.slice(end);
  const insert = `@${username}${after.startsWith(' ') ? '' : ' '}`;
  const next = text.slice(0, mention.start) + insert + after;
  return { text: next, caret: mention.start + insert.length + (after.startsWith(' ') ? 1 : 0) };
}

const MENTION_IN_TEXT = /(^|[^\p{L}\p{N}_@.-])@([A-Za-z0-9_.-]{3,32})/gu;

/**
 * Marks `@username` of known members inside the text segments (links stay as they are), the
 * viewer's own name with `self`. Other "@words" remain plain text.
 */
export function markMentions(
  segments: readonly TextSegment[],
  usernames: ReadonlyMap<string, string>,
  selfId: string | null,
): TextSegment[] {
  const out: TextSegment[] = [];
  for (const segment of segments) {
    if (segment.kind !== 'text' || !segment.text.includes('@')) {
      out.push(segment);
      continue;
    }
    let index = 0;
    const text = segment.text;
    for (const match of text.matchAll(MENTION_IN_TEXT)) {
      const at = (match.index ?? 0) + match[1].length;
      const resolved = resolveMention(match[2], usernames);
      if (!resolved) continue;
      if (at > index) out.push({ kind: 'text', text: text.slice(index, at) });
      out.push({
        kind: 'mention',
        text: `@${resolved.name}`,
        userId: resolved.userId,
        self: resolved.userId === selfId,
      });
      index = at + 1 + resolved.name.length;
    }
    if (index < text.length) out.push({ kind: 'text', text: text.slice(index) });
  }
  return out;
}

/** "@ana." names "ana" when only that is a member (usernames may contain "." and "-"). */
function resolveMention(
  raw: string,
  usernames: ReadonlyMap<string, string>,
): { name: string; userId: string } | null {
  for (const name of [raw, raw.replace(/[.-]+$/, '')]) {
    const userId = usernames.get(name.toLowerCase());
    if (userId) return { name, userId };
  }
  return null;
}
