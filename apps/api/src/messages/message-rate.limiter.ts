import { Inject, Injectable, Logger } from '@nestjs/common';
import type Redis from 'ioredis';
import { AppConfig } from '../core/config/app-config';
import { APP_CONFIG } from '../core/config/config.module';
import { RedisService } from '../core/redis/redis.service';

interface Bucket {
  tokens: number;
  updatedAt: number;
}

export interface MessageRateVerdict {
  allowed: boolean;
  /** Seconds until the next token (0 when allowed). */
  retryAfterSeconds: number;
}

/**
 * One token bucket per user in Redis, refilled by Redis's own clock so that instances with
 * skewed clocks agree. Answers `{ allowed (0|1), ms until the next token }`; integer replies
 * only, because Redis truncates Lua numbers to integers.
 */
const BUCKET_SCRIPT = `
local rate = tonumber(ARGV[1])
local capacity = tonumber(ARGV[2])
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local state = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens = tonumber(state[1]) or capacity
local at = tonumber(state[2]) or now
tokens = math.min(capacity, tokens + math.max(0, now - at) * rate / 1000)
local allowed = 0
local wait = 0
if tokens >= 1 then
  tokens = tokens - 1
  allowed = 1
else
  wait = math.ceil((1 - tokens) * 1000 / rate)
end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'at', tostring(now))
redis.call('PEXPIRE', KEYS[1], math.ceil(capacity * 1000 / rate) + 1000)
return { allowed, wait }
`;

type BucketClient = Redis & {
  messageBucket(key: string, rate: number, capacity: number): Promise<[number, number]>;
};

/**
 * Message sends per user, over the socket and REST alike: a token bucket
 * (MESSAGE_RATE_PER_SECOND, bursts of MESSAGE_RATE_BURST). The bucket in this process is the
 * fast path and refuses without a round trip; what it lets through is checked against the
 * user's bucket in Redis, when configured, so that devices on several instances share one
 * budget. While Redis fails, the local bucket alone decides (per-instance limits, not none).
 */
@Injectable()
export class MessageRateLimiter {
  private readonly logger = new Logger(MessageRateLimiter.name);
  private readonly buckets = new Map<string, Bucket>();
  private readonly redis: BucketClient | null;
  private redisFailing = false;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    redis?: RedisService,
  ) {
    const client = redis?.client ?? null;
    if (client && !('messageBucket' in client)) {
      client.defineCommand('messageBucket', { numberOfKeys: 1, lua: BUCKET_SCRIPT });
    }
    this.redis = client as BucketClient | null;
  }

  /** Takes one token for `userId`. */
  async take(userId: string, now = Date.now()): Promise<MessageRateVerdict> {
    const { rate, capacity } = this.params();
    if (rate <= 0) return { allowed: true, retryAfterSeconds: 0 };
    const local = this.takeLocal(userId, now);
    if (!local.allowed || !this.redis) return local;
    try {
      const [allowed, waitMs] = await this.redis.messageBucket(
        `message-rate:${userId}`,
        rate,
        capacity,
      );
      if (this.redisFailing) this.logger.log('message rate: Redis answers again');
      this.redisFailing = false;
      return allowed === 1
        ? local
        : { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(waitMs / 1000)) };
    } catch (err) {
      if (!this.redisFailing)
        this.logger.warn(`message rate: Redis failed, limiting per instance: ${String(err)}`);
      this.redisFailing = true;
      return local;
    }
  }

  private params(): { rate: number; capacity: number } {
    const { messageRatePerSecond: rate, messageRateBurst: burst } = this.config.limits;
    return { rate, capacity: Math.max(burst, 1) };
  }

  private takeLocal(userId: string, now: number): MessageRateVerdict {
    const { rate, capacity } = this.params();
    const bucket = this.buckets.get(userId) ?? { tokens: capacity, updatedAt: now };
    bucket.tokens = Math.min(capacity, bucket.tokens + ((now - bucket.updatedAt) / 1000) * rate);
    bucket.updatedAt = now;
    if (this.buckets.size > 100_000) this.evictFull(now);
    this.buckets.set(userId, bucket);
    if (bucket.tokens < 1) {
      return {
        allowed: false,
        retryAfterSeconds: Math.max(1, Math.ceil((1 - bucket.tokens) / rate)),
      };
    }
    bucket.tokens -= 1;
    return { allowed: true, retryAfterSeconds: 0 };
  }

  /** Full buckets carry no information: dropping them bounds memory. */
  private evictFull(now: number): void {
    const { rate, capacity } = this.params();
    for (const [id, b] of this.buckets) {
      if (b.tokens + ((now - b.updatedAt) / 1000) * rate >= capacity) this.buckets.delete(id);
    }
  }
}
