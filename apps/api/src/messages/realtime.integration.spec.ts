import { randomUUID } from 'node:crypto';
import type { Ack, ConversationView, MessageView } from '@chat/shared-dto';
import sharp from 'sharp';
import {
  ClientSocket,
  createTestApp,
  hasTwoInstances,
  nextEvent,
  noEvent,
  RegisteredUser,
  TestApp,
  waitFor,
} from '../../test/integration/test-app';

type SendAck = Ack<{ message: MessageView }>;

const emit = <T extends object = object>(
  socket: ClientSocket,
  event: string,
  payload: unknown,
): Promise<Ack<T>> =>
  (
    socket.timeout(5000) as unknown as { emitWithAck(e: string, p: unknown): Promise<Ack<T>> }
  ).emitWithAck(event, payload);

const send = (
  socket: ClientSocket,
  conversationId: string,
  content: string,
  clientId = randomUUID(),
) =>
  emit<{ message: MessageView }>(socket, 'message:send', {
    conversationId,
    clientId,
    content,
  }) as Promise<SendAck>;

async function direct(t: TestApp, a: RegisteredUser, b: RegisteredUser): Promise<ConversationView> {
  const res = await t
    .http()
    .post('/api/conversations')
    .set('Authorization', `Bearer ${a.token}`)
    .send({ userId: b.user.id });
  return res.body as ConversationView;
}

function okMessage(ack: SendAck): MessageView {
  if (!ack.ok) throw new Error(`send failed: ${ack.error.code} ${ack.error.message}`);
  return ack.message;
}

describe('conversations, messages, receipts, typing and presence (integration)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('gets or creates one direct conversation per pair, also under concurrent requests', async () => {
    const [a, b] = [await t.register('ana'), await t.register('ben')];
    const results = await Promise.all([
      t
        .http()
        .post('/api/conversations')
        .set('Authorization', `Bearer ${a.token}`)
        .send({ userId: b.user.id }),
      t
        .http()
        .post('/api/conversations')
        .set('Authorization', `Bearer ${b.token}`)
        .send({ userId: a.user.id }),
      t
        .http()
        .post('/api/conversations')
        .set('Authorization', `Bearer ${a.token}`)
        .send({ userId: b.user.id }),
    ]);
    expect(new Set(results.map((r) => r.body.id)).size).toBe(1);
    expect(results.map((r) => r.status).sort()).toEqual([200, 200, 201]);
    await t
      .http()
      .post('/api/conversations')
      .set('Authorization', `Bearer ${a.token}`)
      .send({ userId: a.user.id })
      .expect(400);
    await t
      .http()
      .post('/api/conversations')
      .set('Authorization', `Bearer ${a.token}`)
      .send({ userId: randomUUID() })
      .expect(400);
  });

  it('delivers message:new to every device of every member, acks after commit, never to outsiders', async () => {
    const [a, b, outsider] = [
      await t.register('a'),
      await t.register('b'),
      await t.register('out'),
    ];
    const conv = await direct(t, a, b);
    const [a1, a2, b1, o1] = await Promise.all([
      t.connect(a.token),
      t.connect(a.token),
      t.connect(b.token),
      t.connect(outsider.token),
    ]);
    const gotB = nextEvent(b1, 'message:new');
    const gotA2 = nextEvent(a2, 'message:new');
    const quietOutsider = noEvent(o1, 'message:new', 800);
    const message = okMessage(await send(a1, conv.id, '  hello there  '));
    expect(message).toMatchObject({
      conversationId: conv.id,
      seq: 1,
      senderId: a.user.id,
      content: 'hello there',
      type: 'text',
    });
    expect(await gotB).toEqual(message);
    expect(await gotA2).toEqual(message);
    expect(await quietOutsider).toBe(true);
    const stored = await t
      .http()
      .get(`/api/conversations/${conv.id}/messages`)
      .set('Authorization', `Bearer ${b.token}`)
      .expect(200);
    expect(stored.body).toEqual([message]);
  });

  it('is idempotent by clientId: a resend acks the first message and broadcasts nothing', async () => {
    const [a, b] = [await t.register('idem'), await t.register('idem2')];
    const conv = await direct(t, a, b);
    const [a1, b1] = await Promise.all([t.connect(a.token), t.connect(b.token)]);
    const clientId = randomUUID();
    // The first delivery may reach b after a's ack: wait for it before listening for silence.
    const delivered = nextEvent(b1, 'message:new');
    const first = okMessage(await send(a1, conv.id, 'once', clientId));
    expect(await delivered).toEqual(first);
    const quiet = noEvent(b1, 'message:new', 600);
    const again = okMessage(await send(a1, conv.id, 'once', clientId));
    expect(again).toEqual(first);
    const rest = await t
      .http()
      .post(`/api/conversations/${conv.id}/messages`)
      .set('Authorization', `Bearer ${a.token}`)
      .send({ clientId, content: 'once' })
      .expect(200);
    expect(rest.body).toEqual(first);
    expect(await quiet).toBe(true);
  });

  it('stores one message for a clientId sent many times at once, from several devices', async () => {
    const [a, b] = [await t.register('burst'), await t.register('burst2')];
    const conv = await direct(t, a, b);
    const devices = await Promise.all([t.connect(a.token), t.connect(a.token), t.connect(a.token)]);
    const clientId = randomUUID();
    const acks = await Promise.all(
      devices.flatMap((d) => Array.from({ length: 10 }, () => send(d, conv.id, 'same', clientId))),
    );
    const ids = new Set(acks.map((x) => okMessage(x).id));
    expect(ids.size).toBe(1);
    const page = await t
      .http()
      .get(`/api/conversations/${conv.id}/messages`)
      .set('Authorization', `Bearer ${b.token}`);
    expect(page.body).toHaveLength(1);
    expect(okMessage(await send(devices[0], conv.id, 'next')).seq).toBe(2);
  });

  it('exposes Prometheus metrics', async () => {
    const res = await t.http().get('/metrics').expect(200);
    for (const name of [
      'chat_sockets_connected',
      'chat_messages_stored_total',
      'chat_send_to_commit_seconds',
      'chat_send_to_deliver_seconds',
      'chat_db_pool_connections',
      'nodejs_eventloop_lag_seconds',
    ]) {
      expect(res.text).toContain(name);
    }
  });

  it('keeps seq gap-free and duplicate-free under concurrent senders', async () => {
    const users = [await t.register('c1'), await t.register('c2'), await t.register('c3')];
    const group = await t
      .http()
      .post('/api/conversations')
      .set('Authorization', `Bearer ${users[0].token}`)
      .send({ type: 'group', name: 'Concurrency', memberIds: users.slice(1).map((u) => u.user.id) })
      .expect(201);
    const sockets = await Promise.all(users.map((u) => t.connect(u.token)));
    const perSender = 25;
    const acks = await Promise.all(
      sockets.flatMap((s) =>
        Array.from({ length: perSender }, (_, i) => send(s, group.body.id, `m${i}`)),
      ),
    );
    const seqs = acks.map((a) => okMessage(a).seq).sort((x, y) => x - y);
    expect(seqs).toEqual(Array.from({ length: 3 * perSender }, (_, i) => i + 1));
    const page = await t
      .http()
      .get(`/api/conversations/${group.body.id}/messages?limit=100`)
      .set('Authorization', `Bearer ${users[1].token}`);
    expect(page.body.map((m: MessageView) => m.seq)).toEqual(seqs);
  });

  it('pages history with before and after, and a reconnect catches up exactly the missed messages', async () => {
    const [a, b] = [await t.register('hist'), await t.register('hist2')];
    const conv = await direct(t, a, b);
    const a1 = await t.connect(a.token);
    for (let i = 1; i <= 7; i++) okMessage(await send(a1, conv.id, `n${i}`));
    const auth = { Authorization: `Bearer ${b.token}` };
    const newest = await t.http().get(`/api/conversations/${conv.id}/messages?limit=3`).set(auth);
    expect(newest.body.map((m: MessageView) => m.seq)).toEqual([5, 6, 7]);
    const older = await t
      .http()
      .get(`/api/conversations/${conv.id}/messages?limit=3&before=5`)
      .set(auth);
    expect(older.body.map((m: MessageView) => m.seq)).toEqual([2, 3, 4]);

    // b was offline from seq 4 on: it asks for everything after 4 and gets exactly 5..7.
    const missed = await t.http().get(`/api/conversations/${conv.id}/messages?after=4`).set(auth);
    expect(missed.body.map((m: MessageView) => m.content)).toEqual(['n5', 'n6', 'n7']);
    await t
      .http()
      .get(`/api/conversations/${conv.id}/messages?after=1&before=3`)
      .set(auth)
      .expect(400);
    await t.http().get(`/api/conversations/${conv.id}/messages?limit=101`).set(auth).expect(400);
    await t.http().get(`/api/conversations/${conv.id}/messages?after=abc`).set(auth).expect(400);
  });

  it('validates content: trimmed, 1 to 4000 characters, image only with an issued fileUrl', async () => {
    const [a, b] = [await t.register('val'), await t.register('val2')];
    const conv = await direct(t, a, b);
    const s = await t.connect(a.token);
    const bad = async (payload: object, code = 'BAD_REQUEST') => {
      const ack = await emit(s, 'message:send', payload);
      expect(ack).toMatchObject({ ok: false, error: { code } });
    };
    await bad({ conversationId: conv.id, clientId: randomUUID(), content: '   ' });
    await bad({ conversationId: conv.id, clientId: randomUUID(), content: 'x'.repeat(4001) });
    await bad({
      conversationId: conv.id,
      clientId: randomUUID(),
      type: 'image',
      fileUrl: '/api/uploads/nope.png',
    });
    await bad({ conversationId: conv.id, clientId: randomUUID(), content: 'hi', extra: 1 });
    await bad({ conversationId: 'not-a-uuid', clientId: randomUUID(), content: 'hi' });
    await bad({ conversationId: randomUUID(), clientId: randomUUID(), content: 'hi' }, 'NOT_FOUND');
    expect(okMessage(await send(s, conv.id, 'y'.repeat(4000))).content).toHaveLength(4000);
  });

  it('sends an image only with a fileUrl this API issued to the sender, with its thumbnail', async () => {
    const [a, b] = [await t.register('img'), await t.register('img2')];
    const conv = await direct(t, a, b);
    const png = await sharp({
      create: { width: 64, height: 48, channels: 3, background: '#3366ff' },
    })
      .png()
      .toBuffer();
    const upload = async (u: RegisteredUser) =>
      (
        await t
          .http()
          .post('/api/upload')
          .set('Authorization', `Bearer ${u.token}`)
          .attach('file', png, 'photo.png')
          .expect(201)
      ).body as { url: string; thumbnailUrl: string };
    const mine = await upload(a);
    const theirs = await upload(b);
    const s = await t.connect(a.token);
    const ack = await emit<{ message: MessageView }>(s, 'message:send', {
      conversationId: conv.id,
      clientId: randomUUID(),
      type: 'image',
      fileUrl: mine.url,
      content: ' caption ',
    });
    expect(ack).toMatchObject({
      ok: true,
      message: {
        type: 'image',
        fileUrl: mine.url,
        thumbnailUrl: mine.thumbnailUrl,
        content: 'caption',
      },
    });
    const stolen = await emit(s, 'message:send', {
      conversationId: conv.id,
      clientId: randomUUID(),
      type: 'image',
      fileUrl: theirs.url,
    });
    expect(stolen).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
    // The other member may now fetch the sent image's thumbnail, as the uploader always could.
    await t
      .http()
      .get(mine.thumbnailUrl)
      .set('Authorization', `Bearer ${b.token}`)
      .expect(200)
      .expect('Content-Type', 'image/webp');
  });

  it('treats receipts as watermarks: idempotent, never backwards, one row per action, read implies delivered', async () => {
    const [a, b] = [await t.register('rcpt'), await t.register('rcpt2')];
    const conv = await direct(t, a, b);
    const [a1, b1] = await Promise.all([t.connect(a.token), t.connect(b.token)]);
    const m1 = okMessage(await send(a1, conv.id, 'one'));
    const m2 = okMessage(await send(a1, conv.id, 'two'));
    const m3 = okMessage(await send(a1, conv.id, 'three'));

    const delivered = nextEvent(a1, 'message:delivered');
    expect(
      await emit(b1, 'message:delivered', { conversationId: conv.id, messageId: m2.id }),
    ).toEqual({ ok: true });
    expect(await delivered).toMatchObject({
      conversationId: conv.id,
      messageId: m2.id,
      seq: 2,
      userId: b.user.id,
    });

    const quiet = noEvent(a1, 'message:delivered', 500);
    expect(
      await emit(b1, 'message:delivered', { conversationId: conv.id, messageId: m1.id }),
    ).toEqual({ ok: true });
    expect(
      await emit(b1, 'message:delivered', { conversationId: conv.id, messageId: m2.id }),
    ).toEqual({ ok: true });
    expect(await quiet).toBe(true);

    const read = nextEvent(a1, 'message:read');
    const deliveredByRead = nextEvent(a1, 'message:delivered');
    await emit(b1, 'message:read', { conversationId: conv.id, messageId: m3.id });
    expect(await read).toMatchObject({ seq: 3, userId: b.user.id });
    expect(await deliveredByRead).toMatchObject({ seq: 3, userId: b.user.id });

    const receipts = await t
      .http()
      .get(`/api/conversations/${conv.id}/messages/${m1.id}/receipts`)
      .set('Authorization', `Bearer ${a.token}`)
      .expect(200);
    expect(receipts.body.readBy.map((r: { userId: string }) => r.userId)).toContain(b.user.id);
    expect(receipts.body.deliveredTo.map((r: { userId: string }) => r.userId)).toContain(b.user.id);

    const list = await t
      .http()
      .get('/api/conversations')
      .set('Authorization', `Bearer ${b.token}`)
      .expect(200);
    const view = list.body.find((c: ConversationView) => c.id === conv.id);
    expect(view).toMatchObject({ unreadCount: 0, lastReadSeq: 3, lastMessage: { id: m3.id } });
    const mine = (
      await t.http().get('/api/conversations').set('Authorization', `Bearer ${a.token}`)
    ).body.find((c: ConversationView) => c.id === conv.id);
    expect(mine.members.find((m: { id: string }) => m.id === b.user.id)).toMatchObject({
      lastReadSeq: 3,
      lastDeliveredSeq: 3,
    });

    const foreign = await emit(b1, 'message:read', {
      conversationId: conv.id,
      messageId: randomUUID(),
    });
    expect(foreign).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
  });

  it('counts unread messages and lists newest activity first in two queries', async () => {
    const [a, b, c] = [await t.register('u1'), await t.register('u2'), await t.register('u3')];
    const ab = await direct(t, a, b);
    const ac = await direct(t, a, c);
    const [b1, c1] = await Promise.all([t.connect(b.token), t.connect(c.token)]);
    okMessage(await send(b1, ab.id, 'from b 1'));
    okMessage(await send(b1, ab.id, 'from b 2'));
    okMessage(await send(c1, ac.id, 'from c'));
    const list = await t
      .http()
      .get('/api/conversations')
      .set('Authorization', `Bearer ${a.token}`)
      .expect(200);
    expect(list.body.map((x: ConversationView) => x.id)).toEqual([ac.id, ab.id]);
    expect(list.body.map((x: ConversationView) => x.unreadCount)).toEqual([1, 2]);
  });

  it('relays typing to the other members only and ends a start with no stop after 5 s', async () => {
    const [a, b] = [await t.register('typ'), await t.register('typ2')];
    const conv = await direct(t, a, b);
    const [a1, a2, b1] = await Promise.all([
      t.connect(a.token),
      t.connect(a.token),
      t.connect(b.token),
    ]);
    const started = nextEvent(b1, 'typing:start');
    const notSelf = noEvent(a2, 'typing:start', 500);
    expect(await emit(a1, 'typing:start', { conversationId: conv.id })).toEqual({ ok: true });
    expect(await started).toEqual({ conversationId: conv.id, userId: a.user.id });
    expect(await notSelf).toBe(true);
    const stopped = await nextEvent(b1, 'typing:stop', 7000);
    expect(stopped).toEqual({ conversationId: conv.id, userId: a.user.id });
    const stranger = await t.register('typ3');
    const s = await t.connect(stranger.token);
    expect(await emit(s, 'typing:start', { conversationId: conv.id })).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND' },
    });
  });

  it('announces online at the first device and offline with lastSeen after the last one, to contacts only', async () => {
    const [a, b, stranger] = [
      await t.register('pres'),
      await t.register('pres2'),
      await t.register('pres3'),
    ];
    await direct(t, a, b);
    const [b1, s1] = await Promise.all([t.connect(b.token), t.connect(stranger.token)]);
    const online = nextEvent(b1, 'user:online');
    const strangerQuiet = noEvent(s1, 'user:online', 800);
    const a1 = await t.connect(a.token);
    expect(await online).toMatchObject({ userId: a.user.id });
    expect(await strangerQuiet).toBe(true);
    const secondDeviceQuiet = noEvent(b1, 'user:online', 500);
    const a2 = await t.connect(a.token);
    expect(await secondDeviceQuiet).toBe(true);

    const offline = nextEvent(b1, 'user:offline', 4000);
    a1.disconnect();
    await waitFor(400);
    a2.disconnect();
    const event = await offline;
    expect(event.userId).toBe(a.user.id);
    expect(typeof event.lastSeen).toBe('string');
    const seen = await t
      .http()
      .get(`/api/users/${a.user.id}`)
      .set('Authorization', `Bearer ${b.token}`)
      .expect(200);
    expect(seen.body).toMatchObject({ status: 'offline' });
    expect(seen.body.lastSeen).toBeTruthy();
  });

  it('manages groups: owner and admins add, remove and rename; a removed member stops receiving at once', async () => {
    const [owner, m1, m2, m3] = [
      await t.register('own'),
      await t.register('gm1'),
      await t.register('gm2'),
      await t.register('gm3'),
    ];
    const auth = (u: RegisteredUser) => ({ Authorization: `Bearer ${u.token}` });
    const created = await t
      .http()
      .post('/api/conversations')
      .set(auth(owner))
      .send({ type: 'group', name: 'Team', memberIds: [m1.user.id, m2.user.id] })
      .expect(201);
    const id = created.body.id as string;
    await t
      .http()
      .post('/api/conversations')
      .set(auth(owner))
      .send({ type: 'group', name: 'Bad', memberIds: [randomUUID()] })
      .expect(400);
    await t
      .http()
      .patch(`/api/conversations/${id}`)
      .set(auth(m1))
      .send({ name: 'Nope' })
      .expect(403);
    await t
      .http()
      .patch(`/api/conversations/${id}/members/${m1.user.id}`)
      .set(auth(owner))
      .send({ role: 'admin' })
      .expect(200);
    await t
      .http()
      .post(`/api/conversations/${id}/members`)
      .set(auth(m1))
      .send({ userIds: [m3.user.id] })
      .expect(201);
    const renamed = await t
      .http()
      .patch(`/api/conversations/${id}`)
      .set(auth(m1))
      .send({ name: 'Team 2' })
      .expect(200);
    expect(renamed.body.name).toBe('Team 2');
    expect(renamed.body.members).toHaveLength(4);
    await t
      .http()
      .delete(`/api/conversations/${id}/members/${owner.user.id}`)
      .set(auth(m1))
      .expect(403);

    const [o1, s2] = await Promise.all([t.connect(owner.token), t.connect(m2.token)]);
    const beforeRemoval = nextEvent(s2, 'message:new');
    okMessage(await send(o1, id, 'before removal'));
    await beforeRemoval;
    const removed = nextEvent(s2, 'conversation:removed');
    await t
      .http()
      .delete(`/api/conversations/${id}/members/${m2.user.id}`)
      .set(auth(m1))
      .expect(204);
    expect(await removed).toEqual({ conversationId: id });
    const quiet = noEvent(s2, 'message:new', 600);
    okMessage(await send(o1, id, 'after removal'));
    expect(await quiet).toBe(true);
    await t.http().get(`/api/conversations/${id}/messages`).set(auth(m2)).expect(404);
    expect(
      await emit(s2, 'message:send', { conversationId: id, clientId: randomUUID(), content: 'x' }),
    ).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });

    await t.http().post(`/api/conversations/${id}/leave`).set(auth(owner)).expect(204);
    const after = await t.http().get(`/api/conversations/${id}`).set(auth(m1)).expect(200);
    expect(after.body.members.find((m: { id: string }) => m.id === m1.user.id).role).toBe('owner');
  });

  it('never lets a non-member read, join or send (IDOR)', async () => {
    const [a, b, eve] = [await t.register('ida'), await t.register('idb'), await t.register('eve')];
    const conv = await direct(t, a, b);
    const e = { Authorization: `Bearer ${eve.token}` };
    await t.http().get(`/api/conversations/${conv.id}`).set(e).expect(404);
    await t.http().get(`/api/conversations/${conv.id}/messages`).set(e).expect(404);
    await t
      .http()
      .post(`/api/conversations/${conv.id}/messages`)
      .set(e)
      .send({ clientId: randomUUID(), content: 'hi' })
      .expect(404);
    const s = await t.connect(eve.token);
    expect(await emit(s, 'conversation:join', { conversationId: conv.id })).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND' },
    });
    const list = await t.http().get('/api/conversations').set(e).expect(200);
    expect(list.body).toEqual([]);
  });
});

describe('socket send rate limit (integration)', () => {
  it('answers RATE_LIMITED beyond the burst', async () => {
    const t = await createTestApp({
      env: { MESSAGE_RATE_PER_SECOND: '5', MESSAGE_RATE_BURST: '5' },
    });
    try {
      const [a, b] = [await t.register('rate'), await t.register('rate2')];
      const conv = await direct(t, a, b);
      const s = await t.connect(a.token);
      const acks = await Promise.all(
        Array.from({ length: 8 }, (_, i) => send(s, conv.id, `r${i}`)),
      );
      expect(acks.filter((x) => x.ok)).toHaveLength(5);
      expect(acks.filter((x) => !x.ok && x.error.code === 'RATE_LIMITED')).toHaveLength(3);
    } finally {
      await t.close();
    }
  });
});

(hasTwoInstances() ? describe : describe.skip)(
  'two instances on one PostgreSQL and Redis (integration)',
  () => {
    let a: TestApp;
    let b: TestApp;
    beforeAll(async () => {
      a = await createTestApp({ redis: true });
      b = await createTestApp({ redis: true });
    });
    afterAll(async () => {
      await a.close();
      await b.close();
    });

    it('carries messages, receipts, typing and presence between instances, and idempotency holds across them', async () => {
      const [ana, ben] = [await a.register('xa'), await a.register('xb')];
      const conv = await direct(a, ana, ben);
      const benOnB = await b.connect(ben.token);
      const online = nextEvent(benOnB, 'user:online');
      const anaOnA = await a.connect(ana.token);
      expect(await online).toMatchObject({ userId: ana.user.id });

      const got = nextEvent(benOnB, 'message:new');
      const clientId = randomUUID();
      const sent = okMessage(await send(anaOnA, conv.id, 'across', clientId));
      expect(await got).toEqual(sent);

      // The same clientId resent through the other instance acks the same message, silently.
      const anaOnB = await b.connect(ana.token);
      const quiet = noEvent(benOnB, 'message:new', 600);
      expect(okMessage(await send(anaOnB, conv.id, 'across', clientId))).toEqual(sent);
      expect(await quiet).toBe(true);

      const read = nextEvent(anaOnA, 'message:read');
      await emit(benOnB, 'message:read', { conversationId: conv.id, messageId: sent.id });
      expect(await read).toMatchObject({ userId: ben.user.id, seq: sent.seq });

      const typing = nextEvent(anaOnA, 'typing:start');
      await emit(benOnB, 'typing:start', { conversationId: conv.id });
      expect(await typing).toEqual({ conversationId: conv.id, userId: ben.user.id });

      // The same clientIds raced through both instances at once: each stored once, no seq gap.
      const raced = Array.from({ length: 20 }, () => randomUUID());
      const results = await Promise.all(
        raced.flatMap((id) => [
          send(anaOnA, conv.id, 'race', id),
          send(anaOnB, conv.id, 'race', id),
        ]),
      );
      const byClient = new Map<string, Set<string>>();
      results.forEach((r, i) => {
        const id = raced[Math.floor(i / 2)];
        byClient.set(id, (byClient.get(id) ?? new Set()).add(okMessage(r).id));
      });
      expect([...byClient.values()].every((set) => set.size === 1)).toBe(true);
      const all = await a
        .http()
        .get(`/api/conversations/${conv.id}/messages?limit=100`)
        .set('Authorization', `Bearer ${ben.token}`);
      expect(all.body.map((m: MessageView) => m.seq)).toEqual(
        Array.from({ length: all.body.length }, (_, i) => i + 1),
      );
      expect(all.body).toHaveLength(21);

      // Presence counts devices across instances: ana stays online until both sockets are gone.
      const stillOnline = noEvent(benOnB, 'user:offline', 800);
      anaOnA.disconnect();
      expect(await stillOnline).toBe(true);
      const offline = nextEvent(benOnB, 'user:offline', 4000);
      anaOnB.disconnect();
      expect(await offline).toMatchObject({ userId: ana.user.id });
    });
  },
);
