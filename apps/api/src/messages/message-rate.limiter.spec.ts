import type { AppConfig } from '../core/config/app-config';
import { MessageRateLimiter } from './message-rate.limiter';

const limiter = (perSecond: number, burst: number) =>
  new MessageRateLimiter({
    limits: { messageRatePerSecond: perSecond, messageRateBurst: burst },
  } as AppConfig);

describe('MessageRateLimiter', () => {
  it('allows a burst, then refuses until tokens refill at the rate', () => {
    const l = limiter(20, 40);
    const t0 = 1_000_000;
    for (let i = 0; i < 40; i++) expect(l.take('u', t0)).toBe(true);
    expect(l.take('u', t0)).toBe(false);
    expect(l.take('u', t0 + 50)).toBe(true); // 50 ms at 20/s = one token
    expect(l.take('u', t0 + 50)).toBe(false);
  });

  it('keeps users apart and is off at 0', () => {
    const l = limiter(1, 1);
    expect(l.take('a', 0)).toBe(true);
    expect(l.take('a', 0)).toBe(false);
    expect(l.take('b', 0)).toBe(true);
    const off = limiter(0, 0);
    for (let i = 0; i < 1000; i++) expect(off.take('x', 0)).toBe(true);
  });
});
