// What the attack, flood and fuzz suites share on top of the test kit: a booted server with its
// limits set per test file, the contract's socket error codes, a tiny real image, the server's
// resident memory read from /proc (the only view of the process a black-box test has), and the
// figures docs/reliability.md quotes.
import assert from 'node:assert/strict';
import type { TestContext } from 'node:test';
import type { ConversationView, SocketErrorCode } from '@chat/shared-dto';
import {
  mapLimit,
  NO_LIMITS,
  registerUser as registerKitUser,
  request,
  RestClient,
  rssKb,
  startApi,
  tempDir,
  connectSocket as connectKitSocket,
  type ChatSocket,
  type ConnectOptions,
  type RequestOptions,
  type RestResponse,
  type Method,
  type ServerProcess,
  type TestUser,
} from '@chat/test-kit';

export const SECRET = 'security-e2e-secret-0123456789abcdef0123';
/** The socket error codes of CONTRACT.md ("Errors (socket)"). */
export const CONTRACT_CODES: readonly SocketErrorCode[] = [
  'BAD_REQUEST',
  'UNAUTHORIZED',
  'FORBIDDEN',
  'NOT_FOUND',
  'RATE_LIMITED',
  'INTERNAL',
];
/** A 1x1 PNG: the smallest real image the upload pipeline accepts. */
export const TINY_PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
  'base64',
);

/**
 * Boots the built API in embedded mode (PGlite, no Redis) with every limit off unless the test
 * sets it: attack and fuzz files send far more than a person would, and a 429 would hide what
 * the endpoint behind it does. Fast bcrypt keeps registering users cheap.
 */
export function bootServer(env: Record<string, string> = {}): Promise<ServerProcess> {
  return startApi({
    env: {
      EMBEDDED_DATA_DIR: tempDir('chat-sec-db-'),
      UPLOAD_DIR: tempDir('chat-sec-up-'),
      JWT_SECRET: SECRET,
      LOG_LEVEL: 'warn',
      BCRYPT_COST: '4',
      ...NO_LIMITS,
      MESSAGE_RATE_BURST: '0',
      PRESENCE_GRACE_MS: '0',
      ...env,
    },
  });
}

/** Still running (no crash, no exit) and answering /health with 200. */
export async function assertAlive(server: ServerProcess): Promise<void> {
  assert.equal(server.child.exitCode, null, `server exited; logs:\n${server.logs().slice(-4000)}`);
  assert.equal(server.child.signalCode, null, 'server was killed by a signal');
  const res = await fetch(`${server.url}/health`, { signal: AbortSignal.timeout(10_000) });
  assert.equal(res.status, 200, '/health must answer 200 after the run');
}

/** The kit's `request` on a booted server. */
export function api<T = unknown>(
  server: ServerProcess,
  method: Method,
  path: string,
  options: RequestOptions = {},
): Promise<RestResponse<T>> {
  return request<T>(server.url, method, path, options);
}

/** Registers a fresh user on a booted server. */
export function registerUser(server: ServerProcess, prefix = 'u'): Promise<TestUser> {
  return registerKitUser(server.url, prefix);
}

/** Logs `user` in again: a second session, a second token. */
export async function login(server: ServerProcess, user: TestUser): Promise<string> {
  const { token } = await new RestClient(server.url).login({
    username: user.username,
    password: user.password,
  });
  return token;
}

export function directConversation(
  server: ServerProcess,
  a: TestUser,
  b: TestUser,
): Promise<ConversationView> {
  return new RestClient(server.url, a.token).direct(b.id);
}

export function groupConversation(
  server: ServerProcess,
  owner: TestUser,
  members: TestUser[],
  name = 'group',
): Promise<ConversationView> {
  return new RestClient(server.url, owner.token).group(
    name,
    members.map((m) => m.id),
  );
}

/** Resident set size of a process in MiB, from /proc (Linux); null where /proc is absent. */
export function rssMiB(pid: number): number | null {
  const kb = rssKb(pid);
  return kb === null ? null : kb / 1024;
}

/** Runs `worker(item, index)` over items with at most `concurrency` in flight. */
export async function pool<T>(
  items: readonly T[],
  concurrency: number,
  worker: (item: T, index: number) => Promise<unknown>,
): Promise<void> {
  await mapLimit(items, concurrency, worker);
}

export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
}

/** Prints a measured figure as a test diagnostic ("# figure ..."), which docs/reliability.md quotes. */
export function reportFigure(t: TestContext, name: string, value: unknown): void {
  t.diagnostic(`figure ${name}: ${typeof value === 'string' ? value : JSON.stringify(value)}`);
}

/** The kit's `connectSocket` on a booted server. */
export function connectSocket(
  server: ServerProcess,
  token: string | undefined,
  options: ConnectOptions = {},
): Promise<ChatSocket> {
  return connectKitSocket(server.url, token, options);
}
