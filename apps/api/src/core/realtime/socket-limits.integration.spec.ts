import { randomUUID } from 'node:crypto';
import type { Ack, ConversationView } from '@chat/shared-dto';
import type { Socket } from 'socket.io-client';
import {
  ClientSocket,
  createTestApp,
  RegisteredUser,
  TestApp,
  waitFor,
} from '../../../test/integration/test-app';

/** The client untyped, to send what no well-behaved client would. */
const raw = (socket: ClientSocket) => socket as unknown as Socket;

const emitAck = (socket: ClientSocket, event: string, payload: unknown, timeoutMs = 5000) =>
  raw(socket).timeout(timeoutMs).emitWithAck(event, payload) as Promise<Ack>;

async function direct(t: TestApp, a: RegisteredUser, b: RegisteredUser): Promise<ConversationView> {
  const res = await t
    .http()
    .post('/api/conversations')
    .set('Authorization', `Bearer ${a.token}`)
    .send({ userId: b.user.id })
    .expect(201);
  return res.body as ConversationView;
}

const disconnected = (socket: ClientSocket) =>
  new Promise<string>((resolve) => socket.once('disconnect', (reason) => resolve(reason)));

describe('socket frame size (integration)', () => {
  let t: TestApp;
  let a: RegisteredUser;
  let conv: ConversationView;
  beforeAll(async () => {
    t = await createTestApp();
    a = await t.register('frame');
    conv = await direct(t, a, await t.register('frame2'));
  });
  afterAll(() => t.close());

  it('answers a 100 KB text with BAD_REQUEST and keeps the connection', async () => {
    const socket = await t.connect(a.token);
    const ack = await emitAck(socket, 'message:send', {
      conversationId: conv.id,
      clientId: randomUUID(),
      content: 'x'.repeat(100 * 1024),
    });
    expect(ack).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
    expect(socket.connected).toBe(true);
  });

  it('accepts the largest valid text, 4,000 characters that JSON escapes as \\uXXXX', async () => {
    const socket = await t.connect(a.token);
    const content = '\u0001'.repeat(3999) + 'x';
    expect(JSON.stringify(content)).toHaveLength(3999 * 6 + 3);
    const ack = await emitAck(socket, 'message:send', {
      conversationId: conv.id,
      clientId: randomUUID(),
      content,
    });
    expect(ack).toMatchObject({ ok: true });
  });
});

describe('per-connection inbound budget (integration)', () => {
  it('counts unknown and unacked events, refuses past the budget with RATE_LIMITED, then disconnects', async () => {
    const t = await createTestApp({
      env: { SOCKET_PACKET_BUDGET: '20', SOCKET_BYTE_BUDGET: '0', SOCKET_BUDGET_WINDOW: '60' },
    });
    try {
      const u = await t.register('flood');
      const socket = await t.connect(u.token);
      const closed = disconnected(socket);
      const join = () => emitAck(socket, 'conversation:join', { conversationId: randomUUID() });
      // The handler runs while within budget: a conversation the caller is not in.
      expect(await join()).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
      for (let i = 0; i < 20; i++) raw(socket).emit('no:such-event', { i });
      expect(await join()).toMatchObject({ ok: false, error: { code: 'RATE_LIMITED' } });
      for (let i = 0; i < 20; i++) raw(socket).emit('no:such-event', { i });
      expect(await closed).toBe('io server disconnect');
    } finally {
      await t.close();
    }
  });

  it('closes a connection flooding 60 KB unknown events under the default budget; the server stays quick', async () => {
    const t = await createTestApp();
    try {
      const u = await t.register('flood60');
      const socket = await t.connect(u.token);
      const closed = disconnected(socket);
      const blob = 'x'.repeat(60 * 1024);
      let sent = 0;
      // 3,000 such events was the attack; the budget must end it long before.
      while (socket.connected && sent < 3000) {
        raw(socket).emit('no:such-event', blob);
        sent += 1;
        if (sent % 50 === 0) await waitFor(5);
      }
      expect(await closed).toBe('io server disconnect');
      const started = Date.now();
      await t.http().get('/health').expect(200);
      expect(Date.now() - started).toBeLessThan(1000);
      // A fresh connection of the same user is welcome again.
      const again = await t.connect(u.token);
      expect(again.connected).toBe(true);
    } finally {
      await t.close();
    }
  });
});
