import type { ConversationView } from '@chat/shared-dto';
import { MUTE_FOREVER, MUTE_OPTIONS, isMuted, muteLabel, unreadNotMuted } from './mute';

const NOW = Date.parse('2026-12-01T10:00:00.000Z');

function conversation(
  id: string,
  unreadCount: number,
  mutedUntil?: string | null,
): ConversationView {
  return {
    encrypted: false,
    id,
    type: 'direct',
    members: [],
    unreadCount,
    unreadMentions: 0,
    memberCount: 0,
    lastReadSeq: 0,
    lastRev: 0,
    createdAt: '2026-01-01T00:00:00.000Z',
    lastActivityAt: '2026-01-01T00:00:00.000Z',
    mutedUntil,
  };
}

describe('mute', () => {
  it('is muted only until mutedUntil', () => {
    expect(isMuted(conversation('a', 0, '2026-12-01T11:00:00.000Z'), NOW)).toBe(true);
    expect(isMuted(conversation('a', 0, '2026-12-01T09:00:00.000Z'), NOW)).toBe(false);
    expect(isMuted(conversation('a', 0, null), NOW)).toBe(false);
    expect(isMuted(conversation('a', 0), NOW)).toBe(false);
  });

  it('offers 1 hour, 8 hours, a week and forever', () => {
    expect(MUTE_OPTIONS.map((o) => Date.parse(o.until(NOW)) - NOW)).toEqual([
      3600_000,
      8 * 3600_000,
      7 * 24 * 3600_000,
      Date.parse(MUTE_FOREVER) - NOW,
    ]);
  });

  it('labels forever as plainly muted', () => {
    expect(muteLabel(conversation('a', 0, MUTE_FOREVER), NOW)).toBe('Muted');
    expect(muteLabel(conversation('a', 0, null), NOW)).toBeNull();
    expect(muteLabel(conversation('a', 0, '2026-12-01T11:00:00.000Z'), NOW)).toMatch(
      /^Muted until /,
    );
  });

  it('does not count muted conversations in the unread total', () => {
    const list = [
      conversation('a', 2),
      conversation('b', 5, '2026-12-02T00:00:00.000Z'),
      conversation('c', 1, '2026-11-30T00:00:00.000Z'),
    ];
    expect(unreadNotMuted(list, NOW)).toBe(3);
  });
});
