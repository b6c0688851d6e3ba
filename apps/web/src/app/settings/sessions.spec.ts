import type { SessionView } from '@chat/shared-dto';
import { deviceLabel, displayIp, passwordProblems, sortSessions } from './sessions';

const session = (id: string, lastUsedAt: string, current = false): SessionView => ({
  id,
  device: 'x',
  createdAt: lastUsedAt,
  lastUsedAt,
  expiresAt: lastUsedAt,
  current,
});

describe('settings helpers', () => {
  it('lists this device first, then the most recently used', () => {
    const sorted = sortSessions([
      session('old', '2024-01-01T00:00:00Z'),
      session('new', '2024-03-01T00:00:00Z'),
      session('me', '2023-01-01T00:00:00Z', true),
    ]);
    expect(sorted.map((s) => s.id)).toEqual(['me', 'new', 'old']);
  });

  it('names devices from their user agent', () => {
    expect(
      deviceLabel(
        'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36',
      ),
    ).toBe('Chrome on Linux');
    expect(
      deviceLabel(
        'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1',
      ),
    ).toBe('Safari on iOS');
    expect(deviceLabel('node-fetch/1.0')).toBe('node-fetch/1.0');
    expect(deviceLabel('')).toBe('Unknown device');
  });

  it('checks a new password before sending it', () => {
    expect(passwordProblems({ current: '', next: 'short', confirm: 'other' })).toEqual({
      current: 'Enter your current password.',
      next: 'At least 8 characters.',
      confirm: 'The passwords do not match.',
    });
    expect(
      passwordProblems({ current: 'old-password', next: 'old-password', confirm: 'old-password' }),
    ).toEqual({ next: 'Choose a password you do not use now.' });
    expect(passwordProblems({ current: 'a', next: 'long-enough', confirm: 'long-enough' })).toEqual(
      {},
    );
  });

  it('shows IPv4-mapped addresses as IPv4', () => {
    expect(displayIp('::ffff:127.0.0.1')).toBe('127.0.0.1');
    expect(displayIp('2001:db8::1')).toBe('2001:db8::1');
    expect(displayIp(null)).toBe('');
  });
});
