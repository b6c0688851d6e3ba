import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { cleanRedisPrefix, redisPrefix } from '@chat/test-kit';
import { hasRedis } from '../../test/integration/test-app';
import { readServices } from '../../test/integration/services';
import { RedisPresenceStore } from './presence.store';

(hasRedis() ? describe : describe.skip)(
  'presence across two instances in Redis (integration)',
  () => {
    const prefix = redisPrefix('presence');
    let redis: Redis;
    let a: RedisPresenceStore;
    let b: RedisPresenceStore;
    let commands = 0;

    beforeAll(async () => {
      redis = new Redis(readServices().redisUrl ?? '', { keyPrefix: prefix, lazyConnect: true });
      await redis.connect();
      const send = redis.sendCommand.bind(redis);
      redis.sendCommand = (command) => {
        commands++;
        return send(command);
      };
      a = new RedisPresenceStore(redis);
      b = new RedisPresenceStore(redis);
    });

    afterAll(async () => {
      redis.disconnect();
      await cleanRedisPrefix(prefix);
    });

    it('answers from memory for users connected here, and from Redis for the others', async () => {
      const [here, there, nowhere] = [randomUUID(), randomUUID(), randomUUID()];
      await a.connect(here);
      await b.connect(there);

      commands = 0;
      expect(await a.away([here])).toEqual([]);
      expect(commands).toBe(0);

      expect(await a.away([here, there, nowhere])).toEqual([nowhere]);
      expect(await b.away([here, there, nowhere])).toEqual([nowhere]);
      expect(commands).toBeGreaterThan(0);
    });

    it('counts a user away once their last device here and elsewhere is gone', async () => {
      const user = randomUUID();
      await a.connect(user);
      await a.connect(user);
      await b.connect(user);
      await a.disconnect(user);
      expect(await a.away([user])).toEqual([]);
      await a.disconnect(user);
      expect(await a.away([user])).toEqual([]);
      await b.disconnect(user);
      expect(await a.away([user])).toEqual([user]);
      expect(await b.away([user])).toEqual([user]);
    });
  },
);
