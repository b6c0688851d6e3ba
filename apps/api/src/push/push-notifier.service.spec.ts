import type { MessageView } from '@chat/shared-dto';
import type {
  ConversationSettingsService,
  PushContext,
} from '../conversations/conversation-settings.service';
import type { PresenceService } from '../presence/presence.service';
import type { UsersService } from '../users/users.service';
import type { UserEntity } from '../users/user.entity';
import { PushNotifierService } from './push-notifier.service';
import type { PushOutcome, PushSender } from './push-sender';
import type { PushSubscriptionsService, StoredSubscription } from './push-subscriptions.service';
import { PermanentPushError, PushJob, PushQueue } from './push.queue';
import type { VapidKeysService } from './vapid-keys.service';

const message: MessageView = {
  id: 'm1',
  conversationId: '0f8fad5b-d9cb-469f-a165-70867728950e',
  seq: 3,
  senderId: 'sender',
  content: 'hi',
  type: 'text',
  clientId: 'c1',
  createdAt: '2026-12-01T00:00:00.000Z',
  rev: 1,
  reactions: [],
  mentions: [],
};

function setUp(options: { online?: string[]; muted?: string[]; outcome?: PushOutcome } = {}) {
  const queued: PushJob[] = [];
  const removed: string[] = [];
  const askedFor: string[][] = [];
  const queue: PushQueue = {
    add: async (job) => {
      queued.push(job);
    },
    process: () => undefined,
    close: async () => undefined,
  };
  const presence = {
    away: async (ids: string[]) => ids.filter((id) => !(options.online ?? []).includes(id)),
  } as unknown as PresenceService;
  const settings = {
    pushContext: async (): Promise<PushContext> => ({
      type: 'direct',
      name: null,
      muted: new Set(options.muted ?? []),
    }),
  } as unknown as ConversationSettingsService;
  const subscriptions = {
    forUsers: async (ids: string[]): Promise<StoredSubscription[]> => {
      askedFor.push(ids);
      return ids.map((userId) => ({
        id: `sub-${userId}`,
        userId,
        endpoint: 'https://p/1',
        p256dh: 'k',
        auth: 'a',
      }));
    },
    findLive: async (id: string): Promise<StoredSubscription> => ({
      id,
      userId: 'u',
      endpoint: 'https://p/1',
      p256dh: 'k',
      auth: 'a',
    }),
    remove: async (id: string) => {
      removed.push(id);
    },
  } as unknown as PushSubscriptionsService;
  const users = {
    findById: async () => ({ username: 'sam', displayName: null }) as UserEntity,
  } as unknown as UsersService;
  const sender = {
    send: async (): Promise<PushOutcome> => options.outcome ?? { result: 'sent', status: 201 },
  } as unknown as PushSender;
  const vapid = {
    details: async () => ({ subject: 'mailto:a@b.c', publicKey: 'p', privateKey: 'q' }),
  } as unknown as VapidKeysService;
  const notifier = new PushNotifierService(
    queue,
    sender,
    subscriptions,
    vapid,
    presence,
    settings,
    users,
  );
  return { notifier, queued, removed, askedFor };
}

const deliverJob: PushJob = {
  kind: 'deliver',
  subscriptionId: 's1',
  topic: 't',
  payload: { conversationId: 'c', messageId: 'm', seq: 1, title: 't', body: 'b' },
};

describe('PushNotifierService', () => {
  it('queues a fan-out for a message with a member away, and none for a conversation of one', async () => {
    const { notifier, queued } = setUp();
    await notifier.onMessageCreated({ message, memberIds: ['sender'] });
    await notifier.onMessageCreated({ message, memberIds: ['sender', 'bob'] });
    expect(queued.map((j) => j.kind)).toEqual(['fanout']);
  });

  it('queues nothing when every other member is connected', async () => {
    const { notifier, queued } = setUp({ online: ['bob', 'carol'] });
    await notifier.onMessageCreated({ message, memberIds: ['sender', 'bob', 'carol'] });
    expect(queued).toEqual([]);
  });

  it('pushes to members with no device, never to the sender nor to someone connected', async () => {
    const { notifier, queued, askedFor } = setUp({ online: ['carol'] });
    await notifier.run({
      kind: 'fanout',
      event: { message, memberIds: ['sender', 'bob', 'carol'] },
    });
    expect(askedFor).toEqual([['bob']]);
    expect(queued).toEqual([
      expect.objectContaining({
        kind: 'deliver',
        subscriptionId: 'sub-bob',
        topic: '0f8fad5bd9cb469fa16570867728950e',
      }),
    ]);
  });

  it('skips members who muted the conversation unless the message mentions them', async () => {
    const { notifier, askedFor } = setUp({ muted: ['bob', 'dan'] });
    const mentioning = { ...message, mentions: ['dan'] } as MessageView;
    await notifier.run({
      kind: 'fanout',
      event: { message: mentioning, memberIds: ['sender', 'bob', 'dan', 'eve'] },
    });
    expect(askedFor).toEqual([['dan', 'eve']]);
  });

  it('removes a subscription the push service no longer knows (404/410)', async () => {
    const { notifier, removed } = setUp({ outcome: { result: 'gone', status: 410 } });
    await notifier.run(deliverJob);
    expect(removed).toEqual(['s1']);
  });

  it('fails a delivery for a retry on 429/5xx, and for good on other 4xx', async () => {
    await expect(
      setUp({ outcome: { result: 'retry', status: 503, reason: '503' } }).notifier.run(deliverJob),
    ).rejects.not.toBeInstanceOf(PermanentPushError);
    await expect(
      setUp({ outcome: { result: 'rejected', status: 400, reason: '400' } }).notifier.run(
        deliverJob,
      ),
    ).rejects.toBeInstanceOf(PermanentPushError);
  });
});
