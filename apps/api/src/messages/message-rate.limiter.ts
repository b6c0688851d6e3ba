import { Inject, Injectable } from '@nestjs/common';
import { AppConfig } from '../core/config/app-config';
import { APP_CONFIG } from '../core/config/config.module';

interface Bucket {
  tokens: number;
  updatedAt: number;
}

/**
 * Socket sends per user: a token bucket (MESSAGE_RATE_PER_SECOND, bursts of
 * MESSAGE_RATE_BURST) kept in this process, because it is asked on every send and must cost
 * nothing. A user with devices on two instances gets each instance's budget.
 */
@Injectable()
export class MessageRateLimiter {
  private readonly buckets = new Map<string, Bucket>();

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  /** Takes one token; false when the user is over their rate. */
  take(userId: string, now = Date.now()): boolean {
    const { messageRatePerSecond: rate, messageRateBurst: burst } = this.config.limits;
    if (rate <= 0) return true;
    const capacity = Math.max(burst, 1);
    const bucket = this.buckets.get(userId) ?? { tokens: capacity, updatedAt: now };
    bucket.tokens = Math.min(capacity, bucket.tokens + ((now - bucket.updatedAt) / 1000) * rate);
    bucket.updatedAt = now;
    if (this.buckets.size > 100_000) this.evictFull(now);
    this.buckets.set(userId, bucket);
    if (bucket.tokens < 1) return false;
    bucket.tokens -= 1;
    return true;
  }

  /** Full buckets carry no information: dropping them bounds memory. */
  private evictFull(now: number): void {
    const { messageRatePerSecond: rate, messageRateBurst: burst } = this.config.limits;
    for (const [id, b] of this.buckets) {
      if (b.tokens + ((now - b.updatedAt) / 1000) * rate >= burst) this.buckets.delete(id);
    }
  }
}
