import { createHmac } from 'node:crypto';
import { loadAppConfig } from '../core/config/app-config';
import { iceServersFor, turnCredentials } from './ice-servers';

const SECRET = 'coturn-static-auth-secret';
const NOW = Date.UTC(2026, 0, 1, 12, 0, 0);

describe('TURN credentials (coturn use-auth-secret)', () => {
  it('names the expiry and the user, and signs the name with HMAC-SHA1 in base64', () => {
    const { username, credential } = turnCredentials(SECRET, 'user-1', 3600, NOW);
    expect(username).toBe(`${NOW / 1000 + 3600}:user-1`);
    // The value coturn computes from the same secret (a known vector, not the same code path).
    expect(credential).toBe(createHmac('sha1', SECRET).update(username).digest('base64'));
    expect(Buffer.from(credential, 'base64')).toHaveLength(20);
  });

  it('changes with the user, the time and the secret', () => {
    const base = turnCredentials(SECRET, 'user-1', 3600, NOW).credential;
    expect(turnCredentials(SECRET, 'user-2', 3600, NOW).credential).not.toBe(base);
    expect(turnCredentials(SECRET, 'user-1', 3600, NOW + 1000).credential).not.toBe(base);
    expect(turnCredentials('another-secret-value', 'user-1', 3600, NOW).credential).not.toBe(base);
  });

  it('builds iceServers from STUN_URLS, TURN_URLS and TURN_SECRET with a 1 hour default', () => {
    const { calls } = loadAppConfig({
      STUN_URLS: 'stun:stun.example.org:3478',
      TURN_URLS: 'turn:turn.example.org:3478?transport=udp, turns:turn.example.org:5349',
      TURN_SECRET: SECRET,
    });
    expect(iceServersFor(calls, 'u', NOW)).toEqual({
      iceServers: [
        { urls: ['stun:stun.example.org:3478'] },
        {
          urls: ['turn:turn.example.org:3478?transport=udp', 'turns:turn.example.org:5349'],
          ...turnCredentials(SECRET, 'u', 3600, NOW),
        },
      ],
    });
    const short = loadAppConfig({
      TURN_URLS: 'turn:t:3478',
      TURN_SECRET: SECRET,
      TURN_TTL_SECONDS: '600',
    });
    expect(iceServersFor(short.calls, 'u', NOW).iceServers[0].username).toBe(
      `${NOW / 1000 + 600}:u`,
    );
  });

  it('offers no servers when none are configured, and refuses half a TURN setup', () => {
    expect(iceServersFor(loadAppConfig({}).calls, 'u')).toEqual({ iceServers: [] });
    expect(() => loadAppConfig({ TURN_URLS: 'turn:t:3478' })).toThrow(/TURN_URLS and TURN_SECRET/);
    expect(() => loadAppConfig({ STUN_URLS: 'http://x' })).toThrow(/STUN_URLS/);
  });
});
