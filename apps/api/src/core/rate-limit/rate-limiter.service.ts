import { Injectable } from '@nestjs/common';
import { RedisService } from '../redis/redis.service';

export interface RateLimitResult {
  allowed: boolean;
  /** Hits counted in the current window, this one included. */
  count: number;
  /** Seconds until the window resets (0 when allowed). */
  retryAfterSeconds: number;
}

interface Window {
  count: number;
  resetAt: number;
}

/**
 * Fixed-window counters shared by every instance through Redis when it is configured, or kept
 * in this process otherwise, and also while Redis is unreachable (limits then hold per
 * instance rather than failing every request). A limit of 0 turns the check off.
 */
@Injectable()
export class RateLimiterService {
  private readonly windows = new Map<string, Window>();
  private lastSweep = Date.now();

  constructor(private readonly redis: RedisService) {}

  /** Counts one hit on `key` and says whether it is within `limit` per `windowSeconds`. */
  async hit(key: string, limit: number, windowSeconds: number): Promise<RateLimitResult> {
    if (limit <= 0) return { allowed: true, count: 0, retryAfterSeconds: 0 };
    const { count, ttlMs } = this.redis.client
      ? await this.hitRedis(key, windowSeconds).catch(() => this.hitMemory(key, windowSeconds))
      : this.hitMemory(key, windowSeconds);
    const allowed = count <= limit;
    return {
      allowed,
      count,
      retryAfterSeconds: allowed ? 0 : Math.max(1, Math.ceil(ttlMs / 1000)),
    };
  }

  /** Reads a counter without counting: is `key` already over `limit`? */
  async peek(key: string, limit: number): Promise<RateLimitResult> {
    if (limit <= 0) return { allowed: true, count: 0, retryAfterSeconds: 0 };
    let count = 0;
    let ttlMs = 0;
    const fromRedis = this.redis.client
      ? await Promise.all([
          this.redis.client.get(`rl:${key}`),
          this.redis.client.pttl(`rl:${key}`),
        ]).catch(() => null)
      : null;
    if (fromRedis) {
      count = Number(fromRedis[0] ?? 0);
      ttlMs = Math.max(0, fromRedis[1]);
    } else {
      const window = this.windows.get(key);
      if (window && window.resetAt > Date.now()) {
        count = window.count;
        ttlMs = window.resetAt - Date.now();
      }
    }
    const allowed = count < limit;
    return {
      allowed,
      count,
      retryAfterSeconds: allowed ? 0 : Math.max(1, Math.ceil(ttlMs / 1000)),
    };
  }

  async reset(key: string): Promise<void> {
    this.windows.delete(key);
    if (this.redis.client) await this.redis.client.del(`rl:${key}`).catch(() => undefined);
  }

  private async hitRedis(
    key: string,
    windowSeconds: number,
  ): Promise<{ count: number; ttlMs: number }> {
    const redisKey = `rl:${key}`;
    const result = await this.redis
      .client!.multi()
      .incr(redisKey)
      .pexpire(redisKey, windowSeconds * 1000, 'NX')
      .pttl(redisKey)
      .exec();
    const count = Number(result?.[0]?.[1] ?? 1);
    const ttlMs = Number(result?.[2]?.[1] ?? windowSeconds * 1000);
    return { count, ttlMs: ttlMs < 0 ? windowSeconds * 1000 : ttlMs };
  }

  private hitMemory(key: string, windowSeconds: number): { count: number; ttlMs: number } {
    const now = Date.now();
    this.sweep(now);
    let window = this.windows.get(key);
    if (!window || window.resetAt <= now) {
      window = { count: 0, resetAt: now + windowSeconds * 1000 };
      this.windows.set(key, window);
    }
    window.count += 1;
    return { count: window.count, ttlMs: window.resetAt - now };
  }

  /** Drops expired windows now and then so that memory stays bounded by live keys. */
  private sweep(now: number): void {
    if (now - this.lastSweep < 60_000) return;
    this.lastSweep = now;
    for (const [key, window] of this.windows) if (window.resetAt <= now) this.windows.delete(key);
  }
}
