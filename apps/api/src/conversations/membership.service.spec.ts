import { EventEmitter } from 'node:events';
import { Logger, NotFoundException } from '@nestjs/common';
import { RedisService } from '../core/redis/redis.service';
import { MembersRepository } from './members.repository';
import { MembershipService } from './membership.service';

const ALICE = '11111111-1111-4111-8111-111111111111';
const BOB = '22222222-2222-4222-8222-222222222222';
const CAROL = '33333333-3333-4333-8333-333333333333';
const ROOM = 'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa';
const OTHER_ROOM = 'bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb';
const PREFIX = 'test:';
const CHANNEL = `${PREFIX}membership-changed`;

/** The pub/sub connection: a test plays Redis by emitting `message` and `ready` on it. */
class FakeSubscriber extends EventEmitter {
  readonly subscribe = jest.fn(async (_channel: string) => 1);
  readonly quit = jest.fn(async () => 'OK' as const);
}

interface FakeRedis {
  keyPrefix: string;
  enabled: boolean;
  client: { publish: jest.Mock<Promise<number>, [string, string]> } | null;
  duplicate: jest.Mock<FakeSubscriber, []>;
}

describe('MembershipService', () => {
  /** The table, as the repository would read it now. */
  let table: Map<string, string[]>;
  let repository: jest.Mocked<Pick<MembersRepository, 'userIds'>>;
  let subscriber: FakeSubscriber;
  let redis: FakeRedis;
  let service: MembershipService;

  const build = () =>
    new MembershipService(
      repository as unknown as MembersRepository,
      redis as unknown as RedisService,
    );

  const withRedis = () => {
    redis = {
      keyPrefix: PREFIX,
      enabled: true,
      client: { publish: jest.fn(async (_channel: string, _message: string) => 1) },
      duplicate: jest.fn(() => subscriber),
    };
    service = build();
  };

  beforeEach(() => {
    table = new Map([
      [ROOM, [ALICE, BOB]],
      [OTHER_ROOM, [ALICE, CAROL]],
    ]);
    repository = {
      userIds: jest.fn(async (conversationId: string) => [...(table.get(conversationId) ?? [])]),
    };
    subscriber = new FakeSubscriber();
    redis = { keyPrefix: PREFIX, enabled: false, client: null, duplicate: jest.fn() };
    service = build();
  });

  afterEach(() => {
    jest.useRealTimers();
    jest.restoreAllMocks();
  });

  describe('members', () => {
    it('reads a conversation’s members once and serves them from memory after', async () => {
      const first = await service.members(ROOM);
      table.set(ROOM, [ALICE, BOB, CAROL]);
      const second = await service.members(ROOM);

      expect([...first]).toEqual([ALICE, BOB]);
      expect([...second]).toEqual([ALICE, BOB]);
      expect(repository.userIds).toHaveBeenCalledTimes(1);
    });

    it('keeps one entry per conversation', async () => {
      await service.members(ROOM);
      const other = await service.members(OTHER_ROOM);
      await service.members(ROOM);

      expect([...other]).toEqual([ALICE, CAROL]);
      expect(repository.userIds.mock.calls).toEqual([[ROOM], [OTHER_ROOM]]);
    });

    it('reads again once an entry is a minute old', async () => {
      jest.useFakeTimers({ now: new Date('2026-01-01T10:00:00Z') });
      await service.members(ROOM);
      table.set(ROOM, [ALICE]);

      jest.setSystemTime(new Date('2026-01-01T10:00:59.999Z'));
      expect([...(await service.members(ROOM))]).toEqual([ALICE, BOB]);
      jest.setSystemTime(new Date('2026-01-01T10:01:00Z'));
      expect([...(await service.members(ROOM))]).toEqual([ALICE]);
      expect(repository.userIds).toHaveBeenCalledTimes(2);
    });
  });

  describe('isMember and assertMember', () => {
    it('answers whether a user is in the conversation', async () => {
      await expect(service.isMember(ROOM, BOB)).resolves.toBe(true);
      await expect(service.isMember(ROOM, CAROL)).resolves.toBe(false);
    });

    it('answers the members to a member', async () => {
      const members = await service.assertMember(ROOM, BOB);

      expect([...members]).toEqual([ALICE, BOB]);
    });

    it('answers 404 to a non-member, as if the conversation did not exist', async () => {
      const asked = service.assertMember(ROOM, CAROL);

      await expect(asked).rejects.toBeInstanceOf(NotFoundException);
      await expect(asked).rejects.toThrow('Conversation not found');
    });

    it('answers 404 for a conversation that does not exist', async () => {
      await expect(service.assertMember('no-such-room', ALICE)).rejects.toThrow(NotFoundException);
    });
  });

  describe('invalidate', () => {
    it('drops the entry, so that the next question reads the change', async () => {
      await service.assertMember(ROOM, ALICE);
      table.set(ROOM, [ALICE, BOB, CAROL]);

      await service.invalidate(ROOM);

      await expect(service.assertMember(ROOM, CAROL)).resolves.toContain(CAROL);
      expect(repository.userIds).toHaveBeenCalledTimes(2);
    });

    it('keeps the entries of the other conversations', async () => {
      await service.members(ROOM);
      await service.members(OTHER_ROOM);

      await service.invalidate(ROOM);
      await service.members(OTHER_ROOM);

      expect(repository.userIds).toHaveBeenCalledTimes(2);
    });

    it('does not keep a list read before a change that was invalidated meanwhile', async () => {
      let finishRead: (ids: string[]) => void = () => undefined;
      repository.userIds.mockImplementationOnce(
        () => new Promise<string[]>((resolve) => (finishRead = resolve)),
      );
      const before = service.members(ROOM);
      table.set(ROOM, [ALICE]);
      await service.invalidate(ROOM);
      finishRead([ALICE, BOB]);
      await before;

      expect([...(await service.members(ROOM))]).toEqual([ALICE]);
    });

    it('tells the other instances when Redis is configured', async () => {
      withRedis();

      await service.invalidate(ROOM);

      expect(redis.client?.publish).toHaveBeenCalledWith(CHANNEL, ROOM);
    });

    it('still drops the local entry when the publish fails', async () => {
      withRedis();
      redis.client?.publish.mockRejectedValue(new Error('Connection is closed.'));
      const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
      await service.members(ROOM);

      await expect(service.invalidate(ROOM)).resolves.toBeUndefined();
      expect(warn).toHaveBeenCalledWith(
        'could not publish a membership change: Connection is closed.',
      );
      await service.members(ROOM);
      expect(repository.userIds).toHaveBeenCalledTimes(2);
    });
  });

  describe('the change subscriber', () => {
    it('subscribes to the changes channel at start when Redis is configured', async () => {
      withRedis();

      await service.onModuleInit();

      expect(redis.duplicate).toHaveBeenCalledTimes(1);
      expect(subscriber.subscribe).toHaveBeenCalledWith(CHANNEL);
    });

    it('subscribes to nothing without Redis', async () => {
      await service.onModuleInit();

      expect(redis.duplicate).not.toHaveBeenCalled();
    });

    it('drops the entry named by a change another instance published', async () => {
      withRedis();
      await service.onModuleInit();
      await service.members(ROOM);
      await service.members(OTHER_ROOM);
      table.set(ROOM, [ALICE]);

      subscriber.emit('message', CHANNEL, ROOM);

      expect([...(await service.members(ROOM))]).toEqual([ALICE]);
      await service.members(OTHER_ROOM);
      expect(repository.userIds.mock.calls).toEqual([[ROOM], [OTHER_ROOM], [ROOM]]);
    });

    it('forgets everything when the connection comes back, since changes may have been missed', async () => {
      withRedis();
      await service.onModuleInit();
      await service.members(ROOM);
      await service.members(OTHER_ROOM);

      subscriber.emit('ready');
      await service.members(ROOM);
      await service.members(OTHER_ROOM);

      expect(repository.userIds).toHaveBeenCalledTimes(4);
    });

    it('closes the subscription at stop', async () => {
      withRedis();
      await service.onModuleInit();

      await service.onModuleDestroy();

      expect(subscriber.quit).toHaveBeenCalledTimes(1);
    });
  });
});
