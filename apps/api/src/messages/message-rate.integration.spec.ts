import { randomUUID } from 'node:crypto';
import type { Ack, ConversationView, MessageView } from '@chat/shared-dto';
import {
  ClientSocket,
  createTestApp,
  hasTwoInstances,
  RegisteredUser,
  TestApp,
} from '../../test/integration/test-app';

const LIMITS = { MESSAGE_RATE_PER_SECOND: '1', MESSAGE_RATE_BURST: '10' };

async function direct(t: TestApp, a: RegisteredUser, b: RegisteredUser): Promise<ConversationView> {
  const res = await t
    .http()
    .post('/api/conversations')
    .set('Authorization', `Bearer ${a.token}`)
    .send({ userId: b.user.id })
    .expect(201);
  return res.body as ConversationView;
}

const restSend = (t: TestApp, u: RegisteredUser, conversationId: string) =>
  t
    .http()
    .post(`/api/conversations/${conversationId}/messages`)
    .set('Authorization', `Bearer ${u.token}`)
    .send({ clientId: randomUUID(), content: 'hi' });

const socketSend = (socket: ClientSocket, conversationId: string) =>
  (
    socket.timeout(5000) as unknown as {
      emitWithAck(e: string, p: unknown): Promise<Ack<{ message: MessageView }>>;
    }
  ).emitWithAck('message:send', { conversationId, clientId: randomUUID(), content: 'hi' });

describe('one message rate per user, REST and socket (integration)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ env: LIMITS });
  });
  afterAll(() => t.close());

  it('limits REST sends: 429 with Retry-After past the burst', async () => {
    const [a, b] = [await t.register('rrest'), await t.register('rrest2')];
    const conv = await direct(t, a, b);
    const statuses: number[] = [];
    let retryAfter: string | undefined;
    for (let i = 0; i < 14; i++) {
      const res = await restSend(t, a, conv.id);
      statuses.push(res.status);
      if (res.status === 429) retryAfter = res.headers['retry-after'];
    }
    expect(statuses.filter((s) => s === 201).length).toBeLessThanOrEqual(11);
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(3);
    expect(Number(retryAfter)).toBeGreaterThanOrEqual(1);
  });

  it('counts socket and REST sends against the same budget', async () => {
    const [a, b] = [await t.register('rmix'), await t.register('rmix2')];
    const conv = await direct(t, a, b);
    const socket = await t.connect(a.token);
    const acks = await Promise.all(Array.from({ length: 10 }, () => socketSend(socket, conv.id)));
    expect(acks.filter((x) => x.ok).length).toBe(10);
    const rest: number[] = [];
    for (let i = 0; i < 3; i++) rest.push((await restSend(t, a, conv.id)).status);
    // The socket spent the burst: at most the one token refilled meanwhile is left for REST.
    expect(rest.filter((s) => s === 201).length).toBeLessThanOrEqual(1);
    expect(rest.filter((s) => s === 429).length).toBeGreaterThanOrEqual(2);
  });
});

(hasTwoInstances() ? describe : describe.skip)(
  'message rate across two instances (integration)',
  () => {
    let a: TestApp;
    let b: TestApp;
    beforeAll(async () => {
      a = await createTestApp({ redis: true, env: LIMITS });
      b = await createTestApp({ redis: true, env: LIMITS });
    });
    afterAll(async () => {
      await a.close();
      await b.close();
    });

    it('gives two devices of one user on two instances one burst between them', async () => {
      const [u, v] = [await a.register('rx'), await a.register('rx2')];
      const conv = await direct(a, u, v);
      const [onA, onB] = [await a.connect(u.token), await b.connect(u.token)];
      const acks = await Promise.all(
        Array.from({ length: 10 }, (_, i) => socketSend(i % 2 ? onB : onA, conv.id)),
      );
      const more = await Promise.all(
        Array.from({ length: 10 }, (_, i) => socketSend(i % 2 ? onB : onA, conv.id)),
      );
      const all = [...acks, ...more];
      // Burst 10 plus at most a couple of tokens refilled during the test, not 10 per instance.
      expect(all.filter((x) => x.ok).length).toBeLessThanOrEqual(12);
      expect(
        all.filter((x) => !x.ok && x.error.code === 'RATE_LIMITED').length,
      ).toBeGreaterThanOrEqual(8);
    });

    it('shares the budget between REST on one instance and a socket on the other', async () => {
      const [u, v] = [await a.register('ry'), await a.register('ry2')];
      const conv = await direct(a, u, v);
      const onB = await b.connect(u.token);
      const statuses: number[] = [];
      for (let i = 0; i < 10; i++) statuses.push((await restSend(a, u, conv.id)).status);
      expect(statuses.filter((s) => s === 201).length).toBe(10);
      const acks = await Promise.all(Array.from({ length: 5 }, () => socketSend(onB, conv.id)));
      expect(acks.filter((x) => x.ok).length).toBeLessThanOrEqual(2);
    });
  },
);
