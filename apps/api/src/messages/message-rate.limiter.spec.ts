import type { AppConfig } from '../core/config/app-config';
import { MessageRateLimiter } from './message-rate.limiter';

const limiter = (perSecond: number, burst: number) =>
  new MessageRateLimiter({
    limits: { messageRatePerSecond: perSecond, messageRateBurst: burst },
  } as AppConfig);

const allowed = async (l: MessageRateLimiter, user: string, at: number) =>
  (await l.take(user, at)).allowed;

describe('MessageRateLimiter (local bucket)', () => {
  it('allows a burst, then refuses until tokens refill at the rate', async () => {
    const l = limiter(20, 40);
    const t0 = 1_000_000;
    for (let i = 0; i < 40; i++) expect(await allowed(l, 'u', t0)).toBe(true);
    expect(await l.take('u', t0)).toEqual({ allowed: false, retryAfterSeconds: 1 });
    expect(await allowed(l, 'u', t0 + 50)).toBe(true); // 50 ms at 20/s = one token
    expect(await allowed(l, 'u', t0 + 50)).toBe(false);
  });

  it('says how long until the next token, in whole seconds', async () => {
    const l = limiter(0.5, 1);
    expect(await allowed(l, 'u', 0)).toBe(true);
    expect((await l.take('u', 0)).retryAfterSeconds).toBe(2);
  });

  it('keeps users apart and is off at 0', async () => {
    const l = limiter(1, 1);
    expect(await allowed(l, 'a', 0)).toBe(true);
    expect(await allowed(l, 'a', 0)).toBe(false);
    expect(await allowed(l, 'b', 0)).toBe(true);
    const off = limiter(0, 0);
    for (let i = 0; i < 1000; i++) expect(await allowed(off, 'x', 0)).toBe(true);
  });
});
