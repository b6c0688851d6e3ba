// Starts the built API (or a reference relay) as its own process, with its output in a log file
// (a pipe nobody reads would eventually block the server), and stops it by its PID.
import { spawn } from 'node:child_process';
import { createWriteStream, existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { databaseUrl, REDIS_URL } from './infra.mjs';

export const ROOT = resolve(fileURLToPath(import.meta.url), '../../..');
export const API_MAIN = join(ROOT, 'dist/apps/api/apps/api/src/main.js');
/** `--api-entry=cluster` runs the Node cluster entry (one worker per core, WEB_CONCURRENCY). */
export const apiMain = (entry = 'main') => join(ROOT, `dist/apps/api/apps/api/src/${entry}.js`);
export const RELAY_MAIN = join(ROOT, 'bench/reference/relay.mjs');

/** Variables from the caller's shell that would point the server elsewhere. */
const SERVICE_VARS = [
  'DATABASE_URL',
  'DB_HOST',
  'DB_PORT',
  'DB_NAME',
  'DB_USER',
  'DB_PASSWORD',
  'REDIS_URL',
  'REDIS_HOST',
  'REDIS_PORT',
  'REDIS_PASSWORD',
  'REDIS_KEY_PREFIX',
];

/** Every limit off, as the contract prescribes for benchmarks. */
export const NO_LIMITS = {
  THROTTLE_ANON_LIMIT: '0',
  THROTTLE_USER_LIMIT: '0',
  MESSAGE_RATE_PER_SECOND: '0',
  LOGIN_MAX_FAILURES_ACCOUNT: '0',
  LOGIN_MAX_FAILURES_IP: '0',
  // Sockets per client address: every bench socket comes from a handful of loopback addresses.
  MAX_CONNECTIONS_PER_IP: '0',
};

export function freePort() {
  return new Promise((res, rej) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => res(port));
    });
    s.on('error', rej);
  });
}

async function waitForHealth(url, child, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) return false;
    try {
      const res = await fetch(`${url}/health`, { signal: AbortSignal.timeout(3000) });
      if (res.status === 200) return true;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return false;
}

function launch({ name, main, env, logFile, nodeArgs = [] }) {
  const log = createWriteStream(logFile, { flags: 'a' });
  const child = spawn(process.execPath, [...nodeArgs, main], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout.pipe(log, { end: false });
  child.stderr.pipe(log, { end: false });
  const exited = new Promise((res) => child.on('exit', (code, signal) => res({ code, signal })));
  return {
    name,
    child,
    pid: child.pid,
    logFile,
    exited,
    async stop(timeoutMs = 15_000) {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
        await exited;
        clearTimeout(timer);
      }
      log.end();
    },
  };
}

function baseEnv() {
  const env = { ...process.env };
  for (const v of SERVICE_VARS) delete env[v];
  return env;
}

/**
 * The product as deployed: NODE_ENV=production on PostgreSQL and Redis (adapter, sessions,
 * presence), limits off. `extraEnv` (from `--env=K=V`) wins, e.g. to try a pool size.
 */
export async function startApi({
  database,
  redisPrefix,
  logFile,
  bcryptCost = 4,
  logLevel = 'warn',
  extraEnv = {},
  main = API_MAIN,
  nodeArgs = [],
}) {
  // A concurrent rebuild empties dist for a while: wait for it (bounded) rather than fail.
  for (let i = 0; i < 180 && !existsSync(main); i++) await new Promise((r) => setTimeout(r, 1000));
  if (!existsSync(main)) {
    throw new Error(
      `${main} is missing: build first (NX_DAEMON=false NX_NO_CLOUD=true npx nx run-many -t build --projects=api,web) or pass --build`,
    );
  }
  const port = await freePort();
  const env = {
    ...baseEnv(),
    NODE_ENV: 'production',
    PORT: String(port),
    DATABASE_URL: databaseUrl(database),
    REDIS_URL,
    REDIS_KEY_PREFIX: redisPrefix,
    JWT_SECRET: 'bench-secret-0123456789abcdef0123456789abcdef',
    BCRYPT_COST: String(bcryptCost),
    LOG_LEVEL: logLevel,
    CLIENT_URL: `http://127.0.0.1:${port}`,
    UPLOAD_DIR: join(ROOT, 'tmp/bench-uploads'),
    ...NO_LIMITS,
    ...extraEnv,
  };
  const server = launch({ name: 'api', main, env, logFile, nodeArgs });
  const url = `http://127.0.0.1:${port}`;
  if (!(await waitForHealth(url, server.child, 90_000))) {
    await server.stop();
    throw new Error(`the API did not become healthy; see ${logFile}`);
  }
  return { ...server, url, port };
}

/** The reference relay; `database` set means variant (b), batched inserts into PostgreSQL. */
export async function startRelay({ database = null, logFile, extraEnv = {}, nodeArgs = [] }) {
  const port = await freePort();
  const env = {
    ...baseEnv(),
    PORT: String(port),
    ...(database ? { RELAY_DATABASE_URL: databaseUrl(database) } : {}),
    ...extraEnv,
  };
  const server = launch({
    name: database ? 'relay-pg' : 'relay',
    main: RELAY_MAIN,
    env,
    logFile,
    nodeArgs,
  });
  const url = `http://127.0.0.1:${port}`;
  if (!(await waitForHealth(url, server.child, 30_000))) {
    await server.stop();
    throw new Error(`the relay did not start; see ${logFile}`);
  }
  return { ...server, url, port };
}
