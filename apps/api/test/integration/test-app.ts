import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { AuthResponse, ClientToServerEvents, ServerToClientEvents } from '@chat/shared-dto';
import { io, Socket } from 'socket.io-client';
import request from 'supertest';
import { createApp } from '../../src/create-app';
import { readServices } from './services';

export type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

export const TEST_JWT_SECRET = 'integration-test-secret-0123456789abcdef';

export interface TestAppOptions {
  /** Use Redis (sessions, adapter, limits); throws if this run has none: gate with `hasRedis`. */
  redis?: boolean;
  /** Extra environment for this app, e.g. limits. */
  env?: Record<string, string>;
}

export interface RegisteredUser extends AuthResponse {
  password: string;
}

export interface TestApp {
  app: NestExpressApplication;
  url: string;
  http: () => ReturnType<typeof request>;
  register(prefix?: string): Promise<RegisteredUser>;
  connect(
    token: string,
    options?: { extraHeaders?: Record<string, string> },
  ): Promise<ClientSocket>;
  close(): Promise<void>;
}

export const hasRedis = (): boolean => readServices().redisUrl !== null;

let counter = 0;
/** A username no other test of this run uses. */
export function uniqueName(prefix = 'user'): string {
  counter += 1;
  return `${prefix}_${randomBytes(3).toString('hex')}${counter}`.slice(0, 32);
}

/**
 * Boots the real application on a random port over this run's database (and Redis when asked),
 * with limits off unless `env` sets them. Environment is restored once the app is built.
 */
export async function createTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const services = readServices();
  if (options.redis && !services.redisUrl) throw new Error('this run has no Redis');
  const dataDir = services.databaseUrl ? null : mkdtempSync(join(tmpdir(), 'chat-it-'));
  const env: Record<string, string | undefined> = {
    NODE_ENV: 'test',
    PORT: '0',
    JWT_SECRET: TEST_JWT_SECRET,
    BCRYPT_COST: '4',
    LOG_LEVEL: 'warn',
    DATABASE_URL: services.databaseUrl ?? undefined,
    DB_HOST: undefined,
    EMBEDDED_DATA_DIR: dataDir ?? undefined,
    REDIS_URL: options.redis ? (services.redisUrl ?? undefined) : undefined,
    REDIS_HOST: undefined,
    REDIS_KEY_PREFIX: services.redisPrefix,
    UPLOAD_DIR: mkdtempSync(join(tmpdir(), 'chat-it-uploads-')),
    WEB_DIST_DIR: join(tmpdir(), 'chat-it-no-web'),
    THROTTLE_ANON_LIMIT: '0',
    THROTTLE_USER_LIMIT: '0',
    LOGIN_MAX_FAILURES_ACCOUNT: '0',
    LOGIN_MAX_FAILURES_IP: '0',
    MESSAGE_RATE_PER_SECOND: '0',
    PRESENCE_GRACE_MS: '200',
    ...options.env,
  };
  const saved = { ...process.env };
  for (const [key, value] of Object.entries(env)) {
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
  let app: NestExpressApplication;
  try {
    app = await createApp();
    await app.listen(0, '127.0.0.1');
  } finally {
    process.env = saved;
  }
  const { port } = app.getHttpServer().address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;
  const sockets: ClientSocket[] = [];

  const testApp: TestApp = {
    app,
    url,
    http: () => request(url),
    async register(prefix = 'user') {
      const username = uniqueName(prefix);
      const password = `pw-${randomBytes(6).toString('hex')}`;
      const res = await request(url)
        .post('/api/auth/register')
        .send({ username, email: `${username}@example.test`, password })
        .expect(201);
      return { ...(res.body as AuthResponse), password };
    },
    async connect(token, connectOptions = {}) {
      const socket: ClientSocket = io(url, {
        auth: { token },
        transports: ['websocket'],
        reconnection: false,
        forceNew: true,
        extraHeaders: connectOptions.extraHeaders,
      });
      sockets.push(socket);
      await new Promise<void>((resolve, reject) => {
        socket.once('connect', () => resolve());
        socket.once('connect_error', (err) => reject(err));
      });
      return socket;
    },
    async close() {
      for (const socket of sockets) socket.disconnect();
      await app.close();
      if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
  return testApp;
}

/** Resolves with the next `event` on `socket`, or rejects after `timeoutMs`. */
export function nextEvent<E extends keyof ServerToClientEvents>(
  socket: ClientSocket,
  event: E,
  timeoutMs = 3000,
): Promise<Parameters<ServerToClientEvents[E]>[0]> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      socket.off(event, handler as never);
      reject(new Error(`no ${String(event)} within ${timeoutMs} ms`));
    }, timeoutMs);
    const handler = (payload: Parameters<ServerToClientEvents[E]>[0]) => {
      clearTimeout(timer);
      resolve(payload);
    };
    socket.once(event, handler as never);
  });
}

/** Resolves true if no `event` arrives on `socket` within `ms`. */
export function noEvent(
  socket: ClientSocket,
  event: keyof ServerToClientEvents,
  ms = 500,
): Promise<boolean> {
  return new Promise((resolve) => {
    const handler = () => {
      clearTimeout(timer);
      resolve(false);
    };
    const timer = setTimeout(() => {
      socket.off(event, handler);
      resolve(true);
    }, ms);
    socket.once(event, handler);
  });
}

export function waitFor(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
