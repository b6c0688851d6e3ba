import { randomUUID } from 'node:crypto';
import type Redis from 'ioredis';

/** Counts a user's connected devices across instances; answers the new total on each change. */
export interface PresenceStore {
  connect(userId: string): Promise<number>;
  disconnect(userId: string): Promise<number>;
  devices(userId: string): Promise<number>;
  /** Those of the users with no connected device anywhere (one round trip). */
  away(userIds: string[]): Promise<string[]>;
}

export class MemoryPresenceStore implements PresenceStore {
  private readonly counts = new Map<string, number>();

  async connect(userId: string): Promise<number> {
    const n = (this.counts.get(userId) ?? 0) + 1;
    this.counts.set(userId, n);
    return n;
  }

  async disconnect(userId: string): Promise<number> {
    const n = Math.max(0, (this.counts.get(userId) ?? 0) - 1);
    if (n === 0) this.counts.delete(userId);
    else this.counts.set(userId, n);
    return n;
  }

  async devices(userId: string): Promise<number> {
    return this.counts.get(userId) ?? 0;
  }

  async away(userIds: string[]): Promise<string[]> {
    return userIds.filter((id) => !this.counts.has(id));
  }
}

/** Adds `delta` to this instance's count for the user and returns the total over instances. */
const CHANGE = `
local n = redis.call('HINCRBY', KEYS[1], ARGV[1], ARGV[2])
if n <= 0 then redis.call('HDEL', KEYS[1], ARGV[1]) end
local total = 0
for _, v in ipairs(redis.call('HVALS', KEYS[1])) do total = total + tonumber(v) end
return total`;

export const HEARTBEAT_MS = 5_000;
export const INSTANCE_TTL_MS = 15_000;

/**
 * Device counts in Redis, one hash per user with a field per instance, so that a crashed
 * instance's devices can be taken away by whoever notices its heartbeat has stopped.
 */
export class RedisPresenceStore implements PresenceStore {
  readonly instanceId = randomUUID();
  /** This instance's devices per user: who is surely connected, without asking Redis. */
  private readonly local = new MemoryPresenceStore();

  constructor(private readonly redis: Redis) {}

  async connect(userId: string): Promise<number> {
    await this.local.connect(userId);
    await this.redis.sadd(instanceUsersKey(this.instanceId), userId);
    return Number(await this.redis.eval(CHANGE, 1, presenceKey(userId), this.instanceId, 1));
  }

  async disconnect(userId: string): Promise<number> {
    await this.local.disconnect(userId);
    return Number(await this.redis.eval(CHANGE, 1, presenceKey(userId), this.instanceId, -1));
  }

  async devices(userId: string): Promise<number> {
    const values = await this.redis.hvals(presenceKey(userId));
    return values.reduce((sum, v) => sum + Number(v), 0);
  }

  /**
   * A user with a device on this instance is connected: only the others cost a look-up (none
   * at all when every recipient of a message is connected here, the common case).
   */
  async away(userIds: string[]): Promise<string[]> {
    const unknown = await this.local.away(userIds);
    if (unknown.length === 0) return [];
    const pipeline = this.redis.pipeline();
    for (const id of unknown) pipeline.hvals(presenceKey(id));
    const results = (await pipeline.exec()) ?? [];
    return unknown.filter((_id, i) => {
      const [err, values] = results[i] ?? [null, []];
      if (err) throw err;
      return (values as string[]).reduce((sum, v) => sum + Number(v), 0) === 0;
    });
  }

  async heartbeat(): Promise<void> {
    await this.redis
      .multi()
      .set(aliveKey(this.instanceId), '1', 'PX', INSTANCE_TTL_MS)
      .sadd(INSTANCES_KEY, this.instanceId)
      .exec();
  }

  /**
   * Removes the devices of instances whose heartbeat has expired; answers the users left with
   * no device anywhere, so that the caller can announce them offline.
   */
  async reapDeadInstances(): Promise<string[]> {
    const instances = await this.redis.smembers(INSTANCES_KEY);
    const offline: string[] = [];
    for (const id of instances) {
      if (id === this.instanceId || (await this.redis.exists(aliveKey(id)))) continue;
      // Only one instance reaps a given dead one.
      if (!(await this.redis.set(`reaping:${id}`, this.instanceId, 'PX', 60_000, 'NX'))) continue;
      const users = await this.redis.smembers(instanceUsersKey(id));
      for (const userId of users) {
        await this.redis.hdel(presenceKey(userId), id);
        if ((await this.devices(userId)) === 0) offline.push(userId);
      }
      await this.redis.multi().del(instanceUsersKey(id)).srem(INSTANCES_KEY, id).exec();
    }
    return offline;
  }

  /** A clean stop: this instance's devices are gone, like a dead instance's. */
  async leave(): Promise<string[]> {
    const users = await this.redis.smembers(instanceUsersKey(this.instanceId));
    const offline: string[] = [];
    for (const userId of users) {
      await this.redis.hdel(presenceKey(userId), this.instanceId);
      if ((await this.devices(userId)) === 0) offline.push(userId);
    }
    await this.redis
      .multi()
      .del(instanceUsersKey(this.instanceId), aliveKey(this.instanceId))
      .srem(INSTANCES_KEY, this.instanceId)
      .exec();
    return offline;
  }
}

const INSTANCES_KEY = 'presence:instances';
const presenceKey = (userId: string) => `presence:user:${userId}`;
const instanceUsersKey = (instanceId: string) => `presence:instance-users:${instanceId}`;
const aliveKey = (instanceId: string) => `presence:alive:${instanceId}`;
