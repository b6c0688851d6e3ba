import { Injectable } from '@nestjs/common';
import type Redis from 'ioredis';
import { RedisService } from '../core/redis/redis.service';
import { SessionStore, StoredSession } from './session-store';

const sessionKey = (id: string) => `session:${id}`;
const userKey = (userId: string) => `user-sessions:${userId}`;

/** Sessions in Redis: every instance sees a revocation at once, and expiry is Redis's job. */
@Injectable()
export class RedisSessionStore extends SessionStore {
  private readonly redis: Redis;

  constructor(redisService: RedisService) {
    super();
    if (!redisService.client) throw new Error('RedisSessionStore needs Redis');
    this.redis = redisService.client;
  }

  async create(s: StoredSession): Promise<void> {
    const ttlMs = s.expiresAt.getTime() - Date.now();
    await this.redis
      .multi()
      .hset(sessionKey(s.id), {
        userId: s.userId,
        device: s.device,
        ip: s.ip ?? '',
        createdAt: s.createdAt.toISOString(),
        lastUsedAt: s.lastUsedAt.toISOString(),
        expiresAt: s.expiresAt.toISOString(),
      })
      .pexpire(sessionKey(s.id), ttlMs)
      .sadd(userKey(s.userId), s.id)
      .pexpire(userKey(s.userId), ttlMs, 'GT')
      .exec();
    // A brand-new set has no TTL for GT to compare with: give it one.
    await this.redis.pexpire(userKey(s.userId), ttlMs, 'NX');
  }

  async get(id: string): Promise<StoredSession | null> {
    const hash = await this.redis.hgetall(sessionKey(id));
    return hash.userId ? fromHash(id, hash) : null;
  }

  async touch(id: string, at: Date): Promise<void> {
    // Only touch a session that still exists: never resurrect a revoked one as a bare hash.
    await this.redis.eval(
      "if redis.call('EXISTS', KEYS[1]) == 1 then return redis.call('HSET', KEYS[1], 'lastUsedAt', ARGV[1]) end return 0",
      1,
      sessionKey(id),
      at.toISOString(),
    );
  }

  async listForUser(userId: string): Promise<StoredSession[]> {
    const ids = await this.redis.smembers(userKey(userId));
    const sessions: StoredSession[] = [];
    const gone: string[] = [];
    for (const id of ids) {
      const hash = await this.redis.hgetall(sessionKey(id));
      if (hash.userId === userId) sessions.push(fromHash(id, hash));
      else gone.push(id);
    }
    if (gone.length) await this.redis.srem(userKey(userId), ...gone);
    return sessions.sort((a, b) => b.lastUsedAt.getTime() - a.lastUsedAt.getTime());
  }

  async revoke(userId: string, id: string): Promise<boolean> {
    const owner = await this.redis.hget(sessionKey(id), 'userId');
    if (owner !== userId) return false;
    await this.redis.multi().del(sessionKey(id)).srem(userKey(userId), id).exec();
    return true;
  }

  async revokeAllExcept(userId: string, keepId: string | null): Promise<string[]> {
    const ids = (await this.redis.smembers(userKey(userId))).filter((id) => id !== keepId);
    if (ids.length === 0) return [];
    await this.redis
      .multi()
      .del(...ids.map(sessionKey))
      .srem(userKey(userId), ...ids)
      .exec();
    return ids;
  }
}

function fromHash(id: string, h: Record<string, string>): StoredSession {
  return {
    id,
    userId: h.userId,
    device: h.device,
    ip: h.ip || null,
    createdAt: new Date(h.createdAt),
    lastUsedAt: new Date(h.lastUsedAt),
    expiresAt: new Date(h.expiresAt),
  };
}
