import { randomBytes } from 'node:crypto';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { AuthResponse, ServerToClientEvents } from '@chat/shared-dto';
import {
  connectSocket,
  nextEvent as kitNextEvent,
  noEvent as kitNoEvent,
  RestClient,
  sleep,
  uniqueName,
  type ChatSocket,
  type EventPayload,
} from '@chat/test-kit';
import request from 'supertest';
import { SESSION_COOKIE } from '../../src/auth/session-cookie';
import { createApp } from '../../src/create-app';
import { readServices } from './services';

export { uniqueName };

export type ClientSocket = ChatSocket;

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
  /** The kit's typed REST client on this app, as `token`'s user (anonymous without one). */
  rest(token?: string): RestClient;
  register(prefix?: string): Promise<RegisteredUser>;
  connect(
    token: string,
    options?: { extraHeaders?: Record<string, string> },
  ): Promise<ClientSocket>;
  close(): Promise<void>;
}

/** Request headers of a user's API client (bearer token) and of their browser (session cookie). */
export const bearer = (user: { token: string }) => ({ Authorization: `Bearer ${user.token}` });
export const sessionCookie = (user: { token: string }) => ({
  Cookie: `${SESSION_COOKIE}=${user.token}`,
});

export const hasRedis = (): boolean => readServices().redisUrl !== null;

/**
 * One database under every app of this run. Without it each app boots its own embedded PGlite:
 * apps see different data, and as passport's strategies are process-wide, the app built last
 * checks every app's tokens against its own sessions.
 */
export const hasSharedDatabase = (): boolean => readServices().databaseUrl !== null;

/** Two instances as deployed side by side: one database, and Redis between them. */
export const hasTwoInstances = (): boolean => hasRedis() && hasSharedDatabase();

/**
 * Boots the real application on a random port over this run's database (and Redis when asked),
 * with limits off unless `env` sets them. Environment is restored once the app is built.
 */
export async function createTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const services = readServices();
  if (options.redis && !services.redisUrl) throw new Error('this run has no Redis');
  const dataDir = services.databaseUrl ? null : mkdtempSync(join(tmpdir(), 'chat-it-'));
  if (dataDir && services.embeddedTemplate)
    cpSync(services.embeddedTemplate, dataDir, { recursive: true });
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
    rest: (token) => new RestClient(url, token ?? null),
    async register(prefix = 'user') {
      const username = uniqueName(prefix);
      const password = `pw-${randomBytes(6).toString('hex')}`;
      const auth = await new RestClient(url).register({
        username,
        email: `${username}@example.test`,
        password,
      });
      return { ...auth, password };
    },
    async connect(token, connectOptions = {}) {
      const socket = await connectSocket(url, token, { headers: connectOptions.extraHeaders });
      sockets.push(socket);
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
): Promise<EventPayload<E>> {
  return kitNextEvent(socket, event, { timeoutMs });
}

/** Resolves true if no `event` arrives on `socket` within `ms`. */
export function noEvent(
  socket: ClientSocket,
  event: keyof ServerToClientEvents,
  ms = 500,
): Promise<boolean> {
  return kitNoEvent(socket, event, ms);
}

export function waitFor(ms: number): Promise<void> {
  return sleep(ms);
}
