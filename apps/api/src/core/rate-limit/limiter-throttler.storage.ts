import { Injectable } from '@nestjs/common';
import { ThrottlerStorage } from '@nestjs/throttler';
import { RateLimiterService } from './rate-limiter.service';

type ThrottlerStorageRecord = Awaited<ReturnType<ThrottlerStorage['increment']>>;

/** Throttler counters in Redis when configured (so limits hold across instances), else memory. */
@Injectable()
export class LimiterThrottlerStorage implements ThrottlerStorage {
  constructor(private readonly limiter: RateLimiterService) {}

  async increment(
    key: string,
    ttlMs: number,
    limit: number,
    _blockDurationMs: number,
    throttlerName: string,
  ): Promise<ThrottlerStorageRecord> {
    const result = await this.limiter.hit(
      `throttle:${throttlerName}:${key}`,
      limit,
      Math.ceil(ttlMs / 1000),
    );
    return {
      totalHits: result.count,
      timeToExpire: result.retryAfterSeconds,
      isBlocked: !result.allowed,
      timeToBlockExpire: result.retryAfterSeconds,
    };
  }
}
