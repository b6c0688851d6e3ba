import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createAdapter, type RedisAdapter } from '@socket.io/redis-adapter';
import { Redis } from 'ioredis';
import { Server } from 'socket.io';
import { io, type Socket as ClientSocket } from 'socket.io-client';
import { redisPrefix, sleep, until } from '@chat/test-kit';
import { hasRedis } from '../../../test/integration/test-app';
import { readServices } from '../../../test/integration/services';
import { peerAwareRedisAdapter } from './peer-aware-redis-adapter';
import { PeerPresence } from './peer-presence';

const CHECK_MS = 100;

interface Instance {
  io: Server;
  url: string;
  peers: PeerPresence | null;
  close(): Promise<void>;
}

(hasRedis() ? describe : describe.skip)(
  'broadcasts stay local only while alone (integration)',
  () => {
    const redisUrl = readServices().redisUrl ?? '';
    const prefix = redisPrefix('peers');
    const key = `${prefix}socket.io`;
    const open: (Instance | ClientSocket)[] = [];
    /** What went through Redis on the adapters' broadcast channels. */
    let published: string[] = [];
    let spy: Redis;

    beforeAll(async () => {
      spy = new Redis(redisUrl);
      await spy.psubscribe(`${key}#*`);
      spy.on('pmessageBuffer', (_pattern: Buffer, channel: Buffer) =>
        published.push(String(channel)),
      );
    });

    afterEach(async () => {
      for (const item of open.splice(0).reverse()) await item.close();
    });

    afterAll(() => spy.disconnect());

    /** A Socket.IO server on the shared Redis; `legacy` has the plain adapter (an older version). */
    async function instance({
      legacy = false,
      onWelcomeTimeout = (missing: number): void => {
        throw new Error(`${missing} instance(s) did not answer`);
      },
    }: { legacy?: boolean; onWelcomeTimeout?: (missing: number) => void } = {}): Promise<Instance> {
      const connections = [new Redis(redisUrl), new Redis(redisUrl), new Redis(redisUrl)];
      const [pub, sub, control] = connections;
      const http = createServer();
      const server = new Server(http);
      let peers: PeerPresence | null = null;
      if (legacy) {
        server.adapter(createAdapter(pub, sub, { key }));
      } else {
        peers = new PeerPresence({
          commands: pub,
          subscriber: control,
          channel: `${key}-peers`,
          instances: () => (server.of('/').adapter as unknown as RedisAdapter).serverCount(),
          checkIntervalMs: CHECK_MS,
          welcomeTimeoutMs: 600,
          onWelcomeTimeout,
        });
        server.adapter(peerAwareRedisAdapter(pub, sub, { key }, peers));
        await peers.start();
      }
      server.on('connection', (socket) => void socket.join('room'));
      await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
      let closed = false;
      const made: Instance = {
        io: server,
        url: `http://127.0.0.1:${(http.address() as AddressInfo).port}`,
        peers,
        async close() {
          if (closed) return;
          closed = true;
          peers?.stop();
          await new Promise<void>((resolve) => void server.close(() => resolve()));
          for (const c of connections) c.disconnect();
        },
      };
      open.push(made);
      return made;
    }

    async function client(at: Instance): Promise<ClientSocket> {
      const socket = io(at.url, { transports: ['websocket'], reconnection: false });
      open.push(Object.assign(socket, { close: async () => void socket.disconnect() }));
      await new Promise<void>((resolve, reject) => {
        socket.once('connect', () => setTimeout(resolve, 50));
        socket.once('connect_error', reject);
      });
      return socket;
    }

    const received = (socket: ClientSocket, event: string) =>
      new Promise<unknown>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no ${event} within 2 s`)), 2000);
        socket.once(event, (payload: unknown) => {
          clearTimeout(timer);
          resolve(payload);
        });
      });

    const alone = (instance: Instance, is: boolean, timeoutMs = 3000) =>
      until(() => instance.peers?.alone === is, {
        timeoutMs,
        everyMs: 20,
        what: is ? 'the instance to find itself alone' : 'the instance to see others',
      });

    it('alone, a broadcast reaches its local sockets and publishes nothing', async () => {
      const a = await instance();
      await alone(a, true);
      const local = await client(a);
      published = [];
      const got = received(local, 'news');
      a.io.to('room').emit('news', 1);
      await expect(got).resolves.toBe(1);
      await sleep(200);
      expect(published).toEqual([]);
    });

    it('a second instance is known before its start resolves: its first socket gets the next broadcast', async () => {
      const a = await instance();
      await alone(a, true);
      const b = await instance();
      // No wait: B's start waited for A's welcome, which A sends only once it publishes again.
      expect(a.peers?.alone).toBe(false);
      const there = await client(b);
      const got = received(there, 'news');
      a.io.to('room').emit('news', 2);
      await expect(got).resolves.toBe(2);
      expect(published.length).toBeGreaterThan(0);
    });

    it('after the other instance stops, broadcasts stay local again', async () => {
      const a = await instance();
      const b = await instance();
      expect(a.peers?.alone).toBe(false);
      await b.close();
      await alone(a, true);
    });

    it('an instance of an older version (no hello) is counted within one check', async () => {
      const a = await instance();
      await alone(a, true);
      const legacy = await instance({ legacy: true });
      await alone(a, false, CHECK_MS * 10);
      const there = await client(legacy);
      const got = received(there, 'news');
      a.io.to('room').emit('news', 3);
      await expect(got).resolves.toBe(3);
    });

    it('a starting instance waits until every instance that heard its hello answered, or gives up', async () => {
      // Stands for an instance whose event loop is busy: it answers 300 ms late, or never.
      const other = new Redis(redisUrl);
      const answers = new Redis(redisUrl);
      let answering = true;
      await other.subscribe(`${key}-peers`);
      other.on('message', (channel: string, message: string) => {
        const [kind, from] = message.split(' ');
        if (kind === 'hello' && answering)
          setTimeout(() => void answers.publish(channel, `welcome slow ${from}`), 300);
      });
      try {
        let started = Date.now();
        await instance();
        expect(Date.now() - started).toBeGreaterThanOrEqual(290);

        answering = false;
        const missing: number[] = [];
        started = Date.now();
        // The first instance answers at once; the silent one never does.
        await instance({ onWelcomeTimeout: (n) => void missing.push(n) });
        expect(Date.now() - started).toBeGreaterThanOrEqual(590);
        expect(missing).toEqual([1]);
      } finally {
        other.disconnect();
        answers.disconnect();
      }
    });
  },
);
