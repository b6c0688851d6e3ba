import type { ConversationView, MessageView } from '@chat/shared-dto';
import { io } from 'socket.io-client';
import type { ClientSocket, TestApp } from '../../../test/integration/test-app';
import { createTestApp, nextEvent } from '../../../test/integration/test-app';

/** A browser-like connection: an `Origin` header, to `host` (which becomes the `Host` header). */
async function connectAs(
  base: string,
  token: string,
  headers: Record<string, string>,
): Promise<ClientSocket> {
  const socket: ClientSocket = io(base, {
    auth: { token },
    transports: ['websocket'],
    reconnection: false,
    forceNew: true,
    extraHeaders: headers,
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', (err) => {
      socket.disconnect();
      reject(err);
    });
  });
  return socket;
}

async function chat(sender: ClientSocket, receiver: ClientSocket, conversation: string) {
  const received = nextEvent(receiver, 'message:new');
  const ack = await sender.timeout(5000).emitWithAck('message:send', {
    conversationId: conversation,
    clientId: `c-${Date.now()}`,
    content: 'hi',
  });
  expect(ack).toMatchObject({ ok: true });
  const message = (ack as { ok: true; message: MessageView }).message;
  expect((await received).id).toBe(message.id);
}

describe('Socket.IO and CORS origins', () => {
  let app: TestApp;
  let port: string;
  const sockets: ClientSocket[] = [];

  beforeAll(async () => {
    // CLIENT_URL stays at its default (http://localhost:3000); the app listens on a random port.
    app = await createTestApp();
    port = new URL(app.url).port;
    expect(port).not.toBe('3000');
  });

  afterEach(() => {
    for (const socket of sockets.splice(0)) socket.disconnect();
  });

  afterAll(async () => {
    await app.close();
  });

  async function pair(): Promise<{ alice: string; bob: string; conversation: string }> {
    const alice = await app.register('alice');
    const bob = await app.register('bob');
    const res = await app
      .http()
      .post('/api/conversations')
      .set('Authorization', `Bearer ${alice.token}`)
      .send({ userId: bob.user.id })
      .expect(201);
    return { alice: alice.token, bob: bob.token, conversation: (res.body as ConversationView).id };
  }

  it.each([
    ['127.0.0.1', (p: string) => `http://127.0.0.1:${p}`],
    ['localhost', (p: string) => `http://localhost:${p}`],
  ])('chats when the page is opened at http://%s:<port>', async (_name, originOf) => {
    const origin = originOf(port);
    const { alice, bob, conversation } = await pair();
    const a = await connectAs(origin, alice, { Origin: origin });
    const b = await connectAs(origin, bob, { Origin: origin });
    sockets.push(a, b);
    await chat(a, b, conversation);
  });

  it('refuses a foreign origin over Socket.IO', async () => {
    const { alice } = await pair();
    await expect(connectAs(app.url, alice, { Origin: 'http://evil.example' })).rejects.toThrow();
  });

  it('takes the public origin from a trusted proxy', async () => {
    // The test client is on loopback, which TRUST_PROXY trusts by default.
    const { alice } = await pair();
    const socket = await connectAs(app.url, alice, {
      Origin: 'https://chat.example.com',
      'X-Forwarded-Host': 'chat.example.com',
      'X-Forwarded-Proto': 'https',
    });
    sockets.push(socket);
    expect(socket.connected).toBe(true);
  });

  it('answers CORS for its own origin and CLIENT_URL, not for others', async () => {
    const own = `http://localhost:${port}`;
    const res = await app.http().get('/health').set('Origin', own).set('Host', `localhost:${port}`);
    expect(res.headers['access-control-allow-origin']).toBe(own);
    const configured = await app.http().get('/health').set('Origin', 'http://localhost:3000');
    expect(configured.headers['access-control-allow-origin']).toBe('http://localhost:3000');
    const foreign = await app.http().get('/health').set('Origin', 'http://evil.example');
    expect(foreign.headers['access-control-allow-origin']).toBeUndefined();
  });
});

describe('Socket.IO origins without a trusted proxy', () => {
  it('does not take X-Forwarded-Host from an untrusted peer', async () => {
    // Its own app, after the other is closed: two apps in one process share a TypeORM driver.
    const strict = await createTestApp({ env: { TRUST_PROXY: 'false' } });
    try {
      const user = await strict.register('carol');
      await expect(
        connectAs(strict.url, user.token, {
          Origin: 'https://evil.example',
          'X-Forwarded-Host': 'evil.example',
          'X-Forwarded-Proto': 'https',
        }),
      ).rejects.toThrow();
    } finally {
      await strict.close();
    }
  });
});
