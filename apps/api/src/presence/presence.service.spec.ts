import type Redis from 'ioredis';
import { MembershipService } from '../conversations/membership.service';
import { AppConfig, loadAppConfig } from '../core/config/app-config';
import { DomainEvents } from '../core/events/domain-events';
import { RedisService } from '../core/redis/redis.service';
import { BlocksService } from '../users/blocks.service';
import { UsersService } from '../users/users.service';
import { PRESENCE_CHANGED, PresenceChangedEvent } from './presence.events';
import { PresenceService } from './presence.service';

const ALICE = '11111111-1111-4111-8111-111111111111';
const BOB = '22222222-2222-4222-8222-222222222222';
const DIRECT = 'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa';
const GROUP = 'bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb';
const GRACE_MS = 3000;
const LAST_SEEN = new Date('2026-01-01T10:00:00Z');

/** Just enough of ioredis for the Redis presence store to heartbeat and leave. */
function fakeRedis(): Redis {
  const chain = {
    set: () => chain,
    sadd: () => chain,
    del: () => chain,
    srem: () => chain,
    exec: async () => [],
  };
  return { multi: () => chain, smembers: async () => [] } as unknown as Redis;
}

/** Lets the promise chains started by a timer run to their end. */
const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('PresenceService', () => {
  let users: jest.Mocked<Pick<UsersService, 'setOnline' | 'setOffline' | 'setEveryoneOffline'>>;
  let membership: jest.Mocked<Pick<MembershipService, 'conversationIdsUpTo'>>;
  let blocks: jest.Mocked<Pick<BlocksService, 'blockedBy'>>;
  let events: PresenceChangedEvent[];
  let service: PresenceService;

  const build = (redisClient: Redis | null) => {
    const config: AppConfig = { ...loadAppConfig({}), presenceGraceMs: GRACE_MS };
    const domainEvents: Pick<DomainEvents, 'emit'> = {
      emit: (name, payload) => {
        expect(name).toBe(PRESENCE_CHANGED);
        events.push(payload as PresenceChangedEvent);
      },
    };
    const redis: Pick<RedisService, 'client'> = { client: redisClient };
    return new PresenceService(
      users as unknown as UsersService,
      membership as unknown as MembershipService,
      blocks as unknown as BlocksService,
      domainEvents as DomainEvents,
      redis as RedisService,
      config,
    );
  };

  /** Moves the clock and lets what the timers started finish. */
  const elapse = async (ms: number) => {
    jest.advanceTimersByTime(ms);
    await settle();
  };

  beforeEach(() => {
    jest.useFakeTimers({ doNotFake: ['setImmediate'] });
    users = {
      setOnline: jest.fn().mockResolvedValue(undefined),
      setOffline: jest.fn().mockResolvedValue(LAST_SEEN),
      setEveryoneOffline: jest.fn().mockResolvedValue(undefined),
    };
    membership = { conversationIdsUpTo: jest.fn().mockResolvedValue([DIRECT, GROUP]) };
    blocks = { blockedBy: jest.fn().mockResolvedValue(new Set()) };
    events = [];
    service = build(null);
  });

  afterEach(() => {
    jest.useRealTimers();
  });

  it('announces a user online to the rooms of their conversations of up to 256 members at the first device', async () => {
    await service.connected(ALICE);

    expect(users.setOnline).toHaveBeenCalledWith(ALICE);
    expect(membership.conversationIdsUpTo).toHaveBeenCalledWith(ALICE, 256);
    expect(events).toEqual([
      { userId: ALICE, online: true, conversationIds: [DIRECT, GROUP], except: [ALICE] },
    ]);
  });

  it('tells no contact the user blocked, online or offline', async () => {
    blocks.blockedBy.mockResolvedValue(new Set([BOB]));
    await service.connected(ALICE);
    await service.disconnected(ALICE);
    await elapse(GRACE_MS * 2);

    expect(blocks.blockedBy).toHaveBeenCalledWith(ALICE);
    expect(events.map((e) => e.except)).toEqual([
      [ALICE, BOB],
      [ALICE, BOB],
    ]);
  });

  it('stays silent when a second device connects', async () => {
    await service.connected(ALICE);
    await service.connected(ALICE);

    expect(users.setOnline).toHaveBeenCalledTimes(1);
    expect(events).toHaveLength(1);
  });

  it('stays online while another device is still connected', async () => {
    await service.connected(ALICE);
    await service.connected(ALICE);
    await service.disconnected(ALICE);
    await elapse(GRACE_MS * 2);

    expect(users.setOffline).not.toHaveBeenCalled();
    expect(events.map((e) => e.online)).toEqual([true]);
  });

  it('announces offline with lastSeen only once the grace period after the last device has passed', async () => {
    await service.connected(ALICE);
    await service.disconnected(ALICE);

    await elapse(GRACE_MS - 1);
    expect(users.setOffline).not.toHaveBeenCalled();
    expect(events).toHaveLength(1);

    await elapse(1);
    expect(users.setOffline).toHaveBeenCalledWith(ALICE);
    expect(events[1]).toEqual({
      userId: ALICE,
      online: false,
      lastSeen: LAST_SEEN.toISOString(),
      conversationIds: [DIRECT, GROUP],
      except: [ALICE],
    });
  });

  it('never goes offline when a device comes back within the grace period (a reload)', async () => {
    await service.connected(ALICE);
    await service.disconnected(ALICE);
    await elapse(GRACE_MS / 2);
    await service.connected(ALICE);
    await elapse(GRACE_MS * 2);

    expect(users.setOffline).not.toHaveBeenCalled();
    expect(users.setOnline).toHaveBeenCalledTimes(1);
    expect(events.map((e) => e.online)).toEqual([true]);
  });

  it('counts the grace period again from the next time the last device leaves', async () => {
    await service.connected(ALICE);
    await service.disconnected(ALICE);
    await elapse(GRACE_MS / 2);
    await service.connected(ALICE);
    await service.disconnected(ALICE);

    await elapse(GRACE_MS - 1);
    expect(users.setOffline).not.toHaveBeenCalled();
    await elapse(1);
    expect(events.map((e) => e.online)).toEqual([true, false]);
  });

  it('does not announce offline a user whose device came back while going offline', async () => {
    let finishOffline: (lastSeen: Date) => void = () => undefined;
    users.setOffline.mockImplementationOnce(
      () => new Promise<Date>((resolve) => (finishOffline = resolve)),
    );
    await service.connected(ALICE);
    await service.disconnected(ALICE);
    await elapse(GRACE_MS);
    await service.connected(ALICE);
    finishOffline(LAST_SEEN);
    await settle();

    expect(events.map((e) => e.online).at(-1)).toBe(true);
  });

  it('announces nothing when the user is gone by the time the grace period ends', async () => {
    users.setOffline.mockResolvedValue(null);
    await service.connected(ALICE);
    await service.disconnected(ALICE);
    await elapse(GRACE_MS);

    expect(users.setOffline).toHaveBeenCalledWith(ALICE);
    expect(events.map((e) => e.online)).toEqual([true]);
  });

  it('sets everyone offline at boot when this process holds every socket', async () => {
    await service.onApplicationBootstrap();

    expect(users.setEveryoneOffline).toHaveBeenCalledTimes(1);
  });

  it('leaves the stored statuses alone at boot when Redis counts devices across instances', async () => {
    service = build(fakeRedis());

    await service.onApplicationBootstrap();
    await service.beforeApplicationShutdown();

    expect(users.setEveryoneOffline).not.toHaveBeenCalled();
  });

  it('stops announcing once shutdown has begun', async () => {
    await service.connected(ALICE);
    await service.disconnected(ALICE);

    await service.beforeApplicationShutdown();
    await elapse(GRACE_MS * 2);
    await service.connected(BOB);
    await service.disconnected(BOB);
    await elapse(GRACE_MS * 2);

    expect(users.setOnline).toHaveBeenCalledTimes(1);
    expect(users.setOffline).not.toHaveBeenCalled();
    expect(events.map((e) => [e.userId, e.online])).toEqual([[ALICE, true]]);
  });
});
