// Black-box helpers for the attack, flood and fuzz suites: a booted server with its limits set
// per test file, REST calls that never throw on a status, registered users with tokens,
// Socket.IO clients, and the server's resident memory read from /proc (the only view of the
// process a black-box test has).
import { readFileSync } from 'node:fs';
import { io } from 'socket.io-client';
import { startServer, tempDir, waitForHealth } from '../server-process.mjs';

export const SECRET = 'security-e2e-secret-0123456789abcdef0123';
/** The socket error codes of CONTRACT.md ("Errors (socket)"). */
export const CONTRACT_CODES = [
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
export async function bootServer(env = {}) {
  const server = await startServer({
    EMBEDDED_DATA_DIR: tempDir('chat-sec-db-'),
    UPLOAD_DIR: tempDir('chat-sec-up-'),
    JWT_SECRET: SECRET,
    LOG_LEVEL: 'warn',
    BCRYPT_COST: '4',
    THROTTLE_ANON_LIMIT: '0',
    THROTTLE_USER_LIMIT: '0',
    LOGIN_MAX_FAILURES_ACCOUNT: '0',
    LOGIN_MAX_FAILURES_IP: '0',
    MESSAGE_RATE_PER_SECOND: '0',
    MESSAGE_RATE_BURST: '0',
    PRESENCE_GRACE_MS: '0',
    ...env,
  });
  if (!(await waitForHealth(server.url, 60_000))) {
    await server.stop();
    throw new Error(`server did not become healthy; logs:\n${server.logs().slice(-4000)}`);
  }
  return server;
}

/** Still running (no crash, no exit) and answering /health with 200. */
export async function assertAlive(assert, server) {
  assert.equal(server.child.exitCode, null, `server exited; logs:\n${server.logs().slice(-4000)}`);
  assert.equal(server.child.signalCode, null, 'server was killed by a signal');
  const res = await fetch(`${server.url}/health`, { signal: AbortSignal.timeout(10_000) });
  assert.equal(res.status, 200, '/health must answer 200 after the run');
}

/**
 * One REST call. `body` objects go out as JSON, strings and Buffers as they are (for malformed
 * JSON and wrong content types). Answers status, headers, raw text and parsed JSON (or null).
 */
export async function api(
  server,
  method,
  path,
  { token, body, headers = {}, timeoutMs = 15_000 } = {},
) {
  const init = {
    method,
    headers: { ...headers },
    signal: AbortSignal.timeout(timeoutMs),
    redirect: 'manual',
  };
  if (token) init.headers.authorization = `Bearer ${token}`;
  if (body !== undefined) {
    if (typeof body === 'string' || Buffer.isBuffer(body) || body instanceof FormData)
      init.body = body;
    else {
      init.body = JSON.stringify(body);
      init.headers['content-type'] ??= 'application/json';
    }
  }
  const started = performance.now();
  const res = await fetch(`${server.url}${path}`, init);
  const text = await res.text();
  let json = null;
  try {
    json = JSON.parse(text);
  } catch {
    // not JSON: left null
  }
  return { status: res.status, headers: res.headers, text, json, ms: performance.now() - started };
}

let userCounter = 0;
/** Registers a fresh user; answers `{ id, username, email, password, token }`. */
export async function registerUser(server, prefix = 'u') {
  userCounter += 1;
  const tag = `${Date.now().toString(36)}${userCounter}${Math.random().toString(36).slice(2, 6)}`;
  const user = {
    username: `${prefix}_${tag}`.slice(0, 32),
    email: `${prefix}.${tag}@example.test`,
    password: `pw-${tag}-secret`,
  };
  const res = await api(server, 'POST', '/api/auth/register', { body: user });
  if (res.status !== 201) throw new Error(`register failed: ${res.status} ${res.text}`);
  return { ...user, id: res.json.user.id, token: res.json.token };
}

export async function login(server, user) {
  const res = await api(server, 'POST', '/api/auth/login', {
    body: { username: user.username, password: user.password },
  });
  if (res.status !== 200) throw new Error(`login failed: ${res.status} ${res.text}`);
  return res.json.token;
}

export async function directConversation(server, a, b) {
  const res = await api(server, 'POST', '/api/conversations', {
    token: a.token,
    body: { userId: b.id },
  });
  if (res.status !== 201 && res.status !== 200)
    throw new Error(`direct failed: ${res.status} ${res.text}`);
  return res.json;
}

export async function groupConversation(server, owner, members, name = 'group') {
  const res = await api(server, 'POST', '/api/conversations', {
    token: owner.token,
    body: { type: 'group', name, memberIds: members.map((m) => m.id) },
  });
  if (res.status !== 201) throw new Error(`group failed: ${res.status} ${res.text}`);
  return res.json;
}

/**
 * A connected socket (websocket transport, no reconnection: a refused or closed socket must
 * stay closed so the test sees it). Rejects with the connect_error.
 */
export function connectSocket(
  server,
  token,
  { headers, timeoutMs = 10_000, transports = ['websocket'] } = {},
) {
  return new Promise((resolve, reject) => {
    const socket = io(server.url, {
      auth: token === undefined ? undefined : { token },
      transports,
      reconnection: false,
      forceNew: true,
      timeout: timeoutMs,
      extraHeaders: headers,
    });
    const timer = setTimeout(() => {
      socket.close();
      reject(new Error('connect timeout'));
    }, timeoutMs);
    socket.once('connect', () => {
      clearTimeout(timer);
      resolve(socket);
    });
    socket.once('connect_error', (err) => {
      clearTimeout(timer);
      socket.close();
      reject(err);
    });
  });
}

/** Emits with an ack; a missing ack within `timeoutMs` rejects (a hung handler is a bug). */
export function emitAck(socket, event, payload, timeoutMs = 10_000) {
  return socket.timeout(timeoutMs).emitWithAck(event, payload);
}

/** Every event a socket receives, for "nobody else got it" checks. */
export function recordEvents(socket) {
  const events = [];
  socket.onAny((event, payload) => events.push({ event, payload }));
  return events;
}

/** Resolves on the first `event` whose payload passes `match`, or rejects after `timeoutMs`. */
export function waitForEvent(socket, event, match = () => true, timeoutMs = 5_000) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      socket.off(event, handler);
      reject(new Error(`no ${event} within ${timeoutMs} ms`));
    }, timeoutMs);
    const handler = (payload) => {
      if (!match(payload)) return;
      clearTimeout(timer);
      socket.off(event, handler);
      resolve(payload);
    };
    socket.on(event, handler);
  });
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Resident set size of a process in MiB, from /proc (Linux); null where /proc is absent. */
export function rssMiB(pid) {
  try {
    const match = /VmRSS:\s+(\d+)\s+kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) / 1024 : null;
  } catch {
    return null;
  }
}

export function percentile(values, p) {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

/** Runs `worker(item)` over items with at most `concurrency` in flight. */
export async function pool(items, concurrency, worker) {
  let next = 0;
  const runners = Array.from({ length: Math.min(concurrency, items.length) }, async () => {
    while (next < items.length) {
      const index = next++;
      await worker(items[index], index);
    }
  });
  await Promise.all(runners);
}

/** Prints a measured figure as a test diagnostic ("# figure ..."), which docs/reliability.md quotes. */
export function reportFigure(t, name, value) {
  t.diagnostic(`figure ${name}: ${typeof value === 'string' ? value : JSON.stringify(value)}`);
}
