import { createECDH, createPublicKey, ECDH, randomBytes, randomUUID, verify } from 'node:crypto';
import { createServer, IncomingHttpHeaders, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type {
  ConversationView,
  MessageView,
  PushPayload,
  VapidPublicKeyView,
} from '@chat/shared-dto';
import { MAX_PUSH_SUBSCRIPTIONS_PER_USER } from '@chat/shared-dto';
import { decrypt } from 'http_ece';
import { DataSource } from 'typeorm';
import { PresenceService } from '../presence/presence.service';
import {
  createTestApp,
  hasRedis,
  hasSharedDatabase,
  nextEvent,
  RegisteredUser,
  TestApp,
  waitFor,
} from '../../test/integration/test-app';

interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
  at: number;
}

/**
 * A push service on a loopback port: records every request and answers the status its path
 * asks for (`/gone-*` 410, `/flaky-*` 500 once then 201, anything else 201).
 */
class FakePushService {
  readonly received: Received[] = [];
  private readonly server: Server;
  private readonly failedOnce = new Set<string>();
  url = '';

  constructor() {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const path = req.url ?? '/';
        this.received.push({
          path,
          headers: req.headers,
          body: Buffer.concat(chunks),
          at: Date.now(),
        });
        let status = 201;
        if (path.startsWith('/gone-')) status = 410;
        if (path.startsWith('/flaky-') && !this.failedOnce.has(path)) {
          this.failedOnce.add(path);
          status = 500;
        }
        res.writeHead(status).end();
      });
    });
  }

  async start(): Promise<void> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  stop(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  to(path: string): Received[] {
    return this.received.filter((r) => r.path === path);
  }

  async next(path: string, count = 1, timeoutMs = 8000): Promise<Received[]> {
    const deadline = Date.now() + timeoutMs;
    while (this.to(path).length < count) {
      if (Date.now() > deadline)
        throw new Error(`no push #${count} to ${path} within ${timeoutMs} ms`);
      await waitFor(25);
    }
    return this.to(path);
  }
}

/** A browser's side of a subscription: its own P-256 key pair and auth secret. */
interface BrowserKeys {
  ecdh: ECDH;
  auth: Buffer;
  json: { p256dh: string; auth: string };
}

function browserKeys(): BrowserKeys {
  const ecdh = createECDH('prime256v1');
  ecdh.generateKeys();
  const auth = randomBytes(16);
  return {
    ecdh,
    auth,
    json: { p256dh: ecdh.getPublicKey('base64url'), auth: auth.toString('base64url') },
  };
}

function decryptPush(received: Received, keys: BrowserKeys): PushPayload {
  const plain = decrypt(received.body, {
    version: 'aes128gcm',
    privateKey: keys.ecdh,
    authSecret: keys.auth,
  });
  return JSON.parse(plain.toString('utf8')) as PushPayload;
}

/** Checks the VAPID `Authorization: vapid t=<JWT>, k=<key>` header: ES256 over the served key. */
function verifyVapid(headers: IncomingHttpHeaders, publicKey: string, audience: string): void {
  const match = /^vapid t=([^,]+), k=(.+)$/.exec(headers.authorization ?? '');
  expect(match).not.toBeNull();
  const [, jwt, k] = match as RegExpExecArray;
  expect(k).toBe(publicKey);
  const [header, claims, signature] = jwt.split('.');
  const point = Buffer.from(publicKey, 'base64url');
  const key = createPublicKey({
    key: {
      kty: 'EC',
      crv: 'P-256',
      x: point.subarray(1, 33).toString('base64url'),
      y: point.subarray(33, 65).toString('base64url'),
    },
    format: 'jwk',
  });
  const signed = verify(
    'sha256',
    Buffer.from(`${header}.${claims}`),
    { key, dsaEncoding: 'ieee-p1363' },
    Buffer.from(signature, 'base64url'),
  );
  expect(signed).toBe(true);
  const body = JSON.parse(Buffer.from(claims, 'base64url').toString('utf8')) as {
    aud: string;
    exp: number;
  };
  expect(body.aud).toBe(audience);
  expect(body.exp * 1000).toBeGreaterThan(Date.now());
}

const auth = (user: { token: string }) => ({ Authorization: `Bearer ${user.token}` });
const subscribe = (app: TestApp, user: { token: string }, endpoint: string, keys = browserKeys()) =>
  app.http().post('/api/push/subscriptions').set(auth(user)).send({ endpoint, keys: keys.json });

describe('web push (integration)', () => {
  const pushService = new FakePushService();
  let t: TestApp;
  let alice: RegisteredUser;
  let bob: RegisteredUser;
  let direct: ConversationView;
  let publicKey: string;
  const users: string[] = [];

  const send = async (from: RegisteredUser, conversationId: string, content: string) => {
    const res = await t
      .http()
      .post(`/api/conversations/${conversationId}/messages`)
      .set(auth(from))
      .send({ clientId: randomUUID(), content })
      .expect(201);
    return res.body as MessageView;
  };
  const subscriptionsOf = async (userId: string) =>
    t.app
      .get(DataSource)
      .query<{ endpoint: string }[]>('SELECT endpoint FROM push_subscriptions WHERE user_id = $1', [
        userId,
      ]);
  /** The server has seen the user's last socket go (the disconnect is asynchronous). */
  const gone = async (userId: string) => {
    const presence = t.app.get(PresenceService);
    const deadline = Date.now() + 5000;
    while ((await presence.connectedDevices(userId)) > 0 && Date.now() < deadline)
      await waitFor(20);
  };
  const register = async (prefix: string) => {
    const user = await t.register(prefix);
    users.push(user.user.id);
    return user;
  };

  beforeAll(async () => {
    await pushService.start();
    t = await createTestApp({ env: { PUSH_ALLOW_INSECURE_ENDPOINTS: 'true' } });
    [alice, bob] = await Promise.all([register('alice'), register('bob')]);
    direct = (
      await t
        .http()
        .post('/api/conversations')
        .set(auth(alice))
        .send({ userId: bob.user.id })
        .expect(201)
    ).body as ConversationView;
    publicKey = (
      (await t.http().get('/api/push/vapid-public-key').set(auth(alice)).expect(200))
        .body as VapidPublicKeyView
    ).publicKey;
  });

  afterAll(async () => {
    await t.app
      .get(DataSource)
      .query('DELETE FROM push_subscriptions WHERE user_id = ANY($1)', [users]);
    await t.close();
    await pushService.stop();
  });

  it('serves a VAPID public key to signed-in users only', async () => {
    expect(Buffer.from(publicKey, 'base64url')).toHaveLength(65);
    await t.http().get('/api/push/vapid-public-key').expect(401);
  });

  it('pushes an encrypted, signed, per-conversation push to a member with no connected device', async () => {
    const keys = browserKeys();
    await subscribe(t, bob, `${pushService.url}/bob-main`, keys).expect(201);

    const message = await send(alice, direct.id, 'Lunch at one?\n  Usual place.');
    const [push] = await pushService.next('/bob-main');

    expect(push.headers['content-encoding']).toBe('aes128gcm');
    expect(push.headers.topic).toBe(direct.id.replace(/-/g, ''));
    expect(push.headers.urgency).toBe('high');
    expect(Number(push.headers.ttl)).toBeGreaterThan(0);
    verifyVapid(push.headers, publicKey, pushService.url);
    expect(decryptPush(push, keys)).toEqual({
      conversationId: direct.id,
      messageId: message.id,
      seq: message.seq,
      title: alice.user.username,
      body: 'Lunch at one? Usual place.',
    });
    await subscribe(t, bob, `${pushService.url}/bob-main`, keys).expect(201); // idempotent
    expect(await subscriptionsOf(bob.user.id)).toHaveLength(1);
    await t
      .http()
      .delete('/api/push/subscriptions')
      .set(auth(bob))
      .send({ endpoint: `${pushService.url}/bob-main` })
      .expect(204);
    expect(await subscriptionsOf(bob.user.id)).toHaveLength(0);
  });

  it('sends none for your own messages nor to a member with a connected device, one once they leave', async () => {
    const carol = await register('carol');
    const dave = await register('dave');
    const pair = (
      await t
        .http()
        .post('/api/conversations')
        .set(auth(carol))
        .send({ userId: dave.user.id })
        .expect(201)
    ).body as ConversationView;
    await subscribe(t, carol, `${pushService.url}/carol`).expect(201);
    await subscribe(t, dave, `${pushService.url}/dave`).expect(201);
    const socket = await t.connect(dave.token);

    await send(carol, pair.id, 'you are online');
    await waitFor(1500);
    expect(pushService.to('/dave')).toHaveLength(0);
    expect(pushService.to('/carol')).toHaveLength(0);

    socket.disconnect();
    await gone(dave.user.id);
    await send(carol, pair.id, 'and now you are not');
    await pushService.next('/dave');
    await waitFor(300);
    expect(pushService.to('/carol')).toHaveLength(0);
  });

  it('removes a subscription the push service answers 410 for, and pushes there no more', async () => {
    const erin = await register('erin');
    const pair = (
      await t
        .http()
        .post('/api/conversations')
        .set(auth(alice))
        .send({ userId: erin.user.id })
        .expect(201)
    ).body as ConversationView;
    await subscribe(t, erin, `${pushService.url}/gone-erin`).expect(201);

    await send(alice, pair.id, 'anyone there?');
    await pushService.next('/gone-erin');
    const deadline = Date.now() + 5000;
    while ((await subscriptionsOf(erin.user.id)).length > 0 && Date.now() < deadline)
      await waitFor(50);
    expect(await subscriptionsOf(erin.user.id)).toHaveLength(0);

    await send(alice, pair.id, 'hello?');
    await waitFor(1000);
    expect(pushService.to('/gone-erin')).toHaveLength(1);
  });

  it('retries a push the push service failed with a 5xx, after a backoff', async () => {
    const frank = await register('frank');
    const pair = (
      await t
        .http()
        .post('/api/conversations')
        .set(auth(alice))
        .send({ userId: frank.user.id })
        .expect(201)
    ).body as ConversationView;
    const keys = browserKeys();
    await subscribe(t, frank, `${pushService.url}/flaky-frank`, keys).expect(201);

    const message = await send(alice, pair.id, 'second time lucky');
    const [first, second] = await pushService.next('/flaky-frank', 2);
    expect(second.at - first.at).toBeGreaterThanOrEqual(900);
    expect(decryptPush(second, keys).messageId).toBe(message.id);
  });

  it('skips a conversation the member muted unless they are mentioned, and pushes again once unmuted', async () => {
    const gina = await register('gina');
    const pair = (
      await t
        .http()
        .post('/api/conversations')
        .set(auth(alice))
        .send({ userId: gina.user.id })
        .expect(201)
    ).body as ConversationView;
    const ginaKeys = browserKeys();
    await subscribe(t, gina, `${pushService.url}/gina`, ginaKeys).expect(201);
    const until = new Date(Date.now() + 3600_000).toISOString();
    // Gina's other devices learn of the mute.
    const device = await t.connect(gina.token);
    const updated = nextEvent(device, 'conversation:updated');
    const muted = await t
      .http()
      .patch(`/api/conversations/${pair.id}/settings`)
      .set(auth(gina))
      .send({ mutedUntil: until })
      .expect(200);
    expect((muted.body as ConversationView).mutedUntil).toBe(until);
    expect((await updated).mutedUntil).toBe(until);
    device.disconnect();
    await gone(gina.user.id);
    const list = (await t.http().get('/api/conversations').set(auth(gina)).expect(200))
      .body as ConversationView[];
    expect(list.find((c) => c.id === pair.id)?.mutedUntil).toBe(until);
    // The mute is gina's own: alice still sees the conversation unmuted.
    const alices = (
      await t.http().get(`/api/conversations/${pair.id}`).set(auth(alice)).expect(200)
    ).body as ConversationView;
    expect(alices.mutedUntil).toBeNull();

    await send(alice, pair.id, 'muted, so silent');
    await waitFor(1500);
    expect(pushService.to('/gina')).toHaveLength(0);
    // A mention gets through the mute, as in Slack.
    const mention = await send(alice, pair.id, `@${gina.user.username} are you there?`);
    expect(mention.mentions).toEqual([gina.user.id]);
    const [mentioned] = await pushService.next('/gina');
    expect(decryptPush(mentioned, ginaKeys)).toMatchObject({ messageId: mention.id });

    const unmuted = await t
      .http()
      .patch(`/api/conversations/${pair.id}/settings`)
      .set(auth(gina))
      .send({ mutedUntil: null })
      .expect(200);
    expect((unmuted.body as ConversationView).mutedUntil).toBeNull();
    const audible = await send(alice, pair.id, 'audible again');
    const [, again] = await pushService.next('/gina', 2);
    expect(decryptPush(again, ginaKeys)).toMatchObject({ messageId: audible.id });
  });

  it('answers bad mute settings with a 400 and a conversation you are not in with a 404', async () => {
    const settings = (user: RegisteredUser, id: string) =>
      t.http().patch(`/api/conversations/${id}/settings`).set(auth(user));
    await settings(alice, direct.id).send({}).expect(400);
    await settings(alice, direct.id).send({ mutedUntil: 'tomorrow' }).expect(400);
    await settings(alice, direct.id).send({ mutedUntil: 12 }).expect(400);
    await settings(alice, 'not-a-uuid').send({ mutedUntil: null }).expect(400);
    const outsider = await register('outsider');
    await settings(outsider, direct.id).send({ mutedUntil: null }).expect(404);
    const past = await settings(alice, direct.id)
      .send({ mutedUntil: '2020-01-01T00:00:00Z' })
      .expect(200);
    expect((past.body as ConversationView).mutedUntil).toBeNull();
  });

  it("removes the session's subscriptions at logout, and only that session's", async () => {
    const hank = await register('hank');
    const laptop = (
      await t
        .http()
        .post('/api/auth/login')
        .send({ email: `${hank.user.username}@example.test`, password: hank.password })
        .expect(200)
    ).body as { token: string };
    await subscribe(t, hank, `${pushService.url}/hank-phone`).expect(201);
    await subscribe(t, laptop, `${pushService.url}/hank-laptop`).expect(201);

    await t.http().post('/api/auth/logout').set(auth(hank)).expect(204);
    expect((await subscriptionsOf(hank.user.id)).map((s) => s.endpoint)).toEqual([
      `${pushService.url}/hank-laptop`,
    ]);
  });

  it('keeps one subscription per session and at most ten per user', async () => {
    const ivy = await register('ivy');
    await subscribe(t, ivy, `${pushService.url}/ivy-old`).expect(201);
    await subscribe(t, ivy, `${pushService.url}/ivy-0`).expect(201);
    expect((await subscriptionsOf(ivy.user.id)).map((s) => s.endpoint)).toEqual([
      `${pushService.url}/ivy-0`,
    ]);
    for (let i = 1; i < MAX_PUSH_SUBSCRIPTIONS_PER_USER; i += 1) {
      const session = (
        await t
          .http()
          .post('/api/auth/login')
          .send({ email: `${ivy.user.username}@example.test`, password: ivy.password })
          .expect(200)
      ).body as { token: string };
      await subscribe(t, session, `${pushService.url}/ivy-${i}`).expect(201);
    }
    const eleventh = (
      await t
        .http()
        .post('/api/auth/login')
        .send({ email: `${ivy.user.username}@example.test`, password: ivy.password })
        .expect(200)
    ).body as { token: string };
    const refused = await subscribe(t, eleventh, `${pushService.url}/ivy-10`).expect(400);
    expect(String((refused.body as { message: string }).message)).toMatch(/at most 10/);
    expect(await subscriptionsOf(ivy.user.id)).toHaveLength(MAX_PUSH_SUBSCRIPTIONS_PER_USER);
  });

  it('refuses bad keys', async () => {
    const bad = browserKeys();
    await t
      .http()
      .post('/api/push/subscriptions')
      .set(auth(alice))
      .send({ endpoint: `${pushService.url}/k` })
      .expect(400);
    await t
      .http()
      .post('/api/push/subscriptions')
      .set(auth(alice))
      .send({ endpoint: `${pushService.url}/k`, keys: { ...bad.json, p256dh: 'A'.repeat(87) } })
      .expect(400);
    await t
      .http()
      .post('/api/push/subscriptions')
      .set(auth(alice))
      .send({ endpoint: `${pushService.url}/k`, keys: { ...bad.json, auth: 'short' } })
      .expect(400);
  });

  it('refuses private addresses even where insecure test endpoints are allowed', async () => {
    await subscribe(t, alice, 'http://10.1.2.3/send/1').expect(400);
    await subscribe(t, alice, 'http://[fd12::1]/send/1').expect(400);
  });

  (hasRedis() ? describe : describe.skip)('with Redis (BullMQ queue)', () => {
    let r: TestApp;
    beforeAll(async () => {
      r = await createTestApp({ redis: true, env: { PUSH_ALLOW_INSECURE_ENDPOINTS: 'true' } });
    });
    afterAll(async () => {
      await r.close();
    });

    it('delivers through the BullMQ queue', async () => {
      // Sessions live in Redis here: this app's users register on it.
      const [kate, jill] = await Promise.all([r.register('kate'), r.register('jill')]);
      users.push(kate.user.id, jill.user.id);
      const pair = (
        await r
          .http()
          .post('/api/conversations')
          .set(auth(kate))
          .send({ userId: jill.user.id })
          .expect(201)
      ).body as ConversationView;
      const keys = browserKeys();
      await subscribe(r, jill, `${pushService.url}/jill`, keys).expect(201);
      const res = await r
        .http()
        .post(`/api/conversations/${pair.id}/messages`)
        .set(auth(kate))
        .send({ clientId: randomUUID(), content: 'via redis' })
        .expect(201);
      const [push] = await pushService.next('/jill');
      expect(decryptPush(push, keys)).toMatchObject({
        messageId: (res.body as MessageView).id,
        body: 'via redis',
      });
    });
  });
});

/** An instance as deployed: only https endpoints on public addresses. */
describe('web push endpoints that would make the server call an internal address (SSRF) (integration)', () => {
  let strict: TestApp;
  let user: RegisteredUser;

  beforeAll(async () => {
    strict = await createTestApp();
    user = await strict.register('ssrf');
  });

  afterAll(() => strict.close());

  it.each([
    ['http, not https', 'http://push.example.com/send/1'],
    ['not a URL', 'push.example.com/send/1'],
    ['credentials in the URL', 'https://user:pw@8.8.8.8/send/1'],
    ['loopback', 'https://127.0.0.1/send/1'],
    ['loopback, another form', 'https://0x7f.1/send/1'],
    ['private', 'https://10.1.2.3/send/1'],
    ['private 192.168', 'https://192.168.0.10/send/1'],
    ['link-local (cloud metadata)', 'https://169.254.169.254/latest/meta-data'],
    ['unspecified', 'https://0.0.0.0/send/1'],
    ['IPv6 loopback', 'https://[::1]/send/1'],
    ['IPv6 unique-local', 'https://[fd12:3456::1]/send/1'],
    ['IPv6 link-local', 'https://[fe80::1]/send/1'],
    ['IPv4-mapped loopback', 'https://[::ffff:127.0.0.1]/send/1'],
    ['a name that resolves to loopback', 'https://localhost:4430/send/1'],
  ])('refuses %s', async (_what, endpoint) => {
    const res = await subscribe(strict, user, endpoint).expect(400);
    expect(res.body).toMatchObject({ statusCode: 400 });
  });

  it('says why a name was refused', async () => {
    const res = await subscribe(strict, user, 'https://localhost/send/1').expect(400);
    expect((res.body as { message: string }).message).toMatch(/non-public address/);
  });
});

(hasSharedDatabase() ? describe : describe.skip)(
  'web push across two instances on one database (integration)',
  () => {
    let a: TestApp;
    let b: TestApp;

    beforeAll(async () => {
      a = await createTestApp();
      b = await createTestApp();
    });

    afterAll(async () => {
      await a.close();
      await b.close();
    });

    it('serves the same VAPID public key on every instance', async () => {
      const user = await a.register('vapid');
      const keyOn = async (app: TestApp) =>
        (
          (await app.http().get('/api/push/vapid-public-key').set(auth(user)).expect(200))
            .body as VapidPublicKeyView
        ).publicKey;
      expect(await keyOn(b)).toBe(await keyOn(a));
    });
  },
);
