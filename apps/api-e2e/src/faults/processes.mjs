// Our own PostgreSQL, Redis and API processes for the fault-injection tests, started on free
// loopback ports and stopped by their PID only: the machine's PostgreSQL (5432) and Redis (6379)
// belong to someone else and are never touched. Every child is tracked so that a failing or
// interrupted test still leaves nothing running (after hooks, plus 'exit' and signal handlers).
import { execFileSync, spawn } from 'node:child_process';
import { chownSync, existsSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { freePort, startServer, tempDir, waitForHealth } from '../server-process.mjs';

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

const T0 = Date.now();
/** Progress on stderr with FAULTS_DEBUG=1 (a hung step is then easy to find). */
export function debug(...args) {
  if (process.env.FAULTS_DEBUG)
    process.stderr.write(`[faults +${Date.now() - T0}ms] ${args.join(' ')}\n`);
}

/** Polls `check` every `everyMs` until it returns a truthy value or `timeoutMs` passes. */
export async function until(check, { timeoutMs = 10_000, everyMs = 50, what = 'condition' } = {}) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline)
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(everyMs);
  }
}

// ---------------------------------------------------------------------------------------------
// Process registry: whatever we spawned dies with us.

const alive = new Map(); // pid -> { name, killSignal }
const tempDirs = new Set();

function track(child, name, killSignal = 'SIGKILL') {
  alive.set(child.pid, { name, killSignal });
  child.once('exit', () => alive.delete(child.pid));
}

/** Synchronous, so that it also works from process 'exit'. */
export function killAll() {
  for (const [pid, { killSignal }] of alive) {
    try {
      process.kill(pid, killSignal);
    } catch {
      // already gone
    }
  }
  alive.clear();
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
  tempDirs.clear();
}

process.once('exit', killAll);
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.once(signal, () => {
    killAll();
    process.exit(128 + 2);
  });
}

// ---------------------------------------------------------------------------------------------
// Prerequisites

function findPostgresBin() {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return null;
  const versions = readdirSync(root)
    .filter((v) => existsSync(join(root, v, 'bin', 'initdb')))
    .sort((a, b) => Number(b) - Number(a));
  return versions.length ? join(root, versions[0], 'bin') : null;
}

function findOnPath(name) {
  for (const dir of (process.env.PATH ?? '').split(':')) {
    if (dir && existsSync(join(dir, name))) return join(dir, name);
  }
  return null;
}

export const PG_BIN = findPostgresBin();
export const REDIS_SERVER = findOnPath('redis-server');
export const API_BUILT = existsSync(
  new URL('../../../../dist/apps/api/apps/api/src/main.js', import.meta.url),
);

/**
 * Why the fault tests cannot run here, or null. In CI a missing binary is a failure (the
 * caller throws), elsewhere the tests are skipped with this message.
 */
export function missingPrerequisites({ postgres = true, redis = true } = {}) {
  const missing = [];
  if (postgres && !PG_BIN)
    missing.push('PostgreSQL server binaries (/usr/lib/postgresql/*/bin/initdb)');
  if (redis && !REDIS_SERVER) missing.push('redis-server');
  if (!API_BUILT) missing.push('the built API (run: npx nx build api)');
  return missing.length ? `fault tests need ${missing.join(' and ')}` : null;
}

/** `test(name, skipOptions(), fn)`: skipped off CI when something is missing, failing in CI. */
export function prerequisites(needs) {
  const reason = missingPrerequisites(needs);
  if (reason && process.env.CI === 'true') throw new Error(`${reason} (CI=true: required)`);
  return reason ? { skip: reason } : {};
}

// ---------------------------------------------------------------------------------------------
// PostgreSQL: initdb once, then start/stop the postmaster on the same port and data directory.

/** initdb and postgres refuse to run as root: run them as the `postgres` user then. */
function postgresIdentity() {
  if (process.getuid?.() !== 0) return {};
  const uid = Number(execFileSync('id', ['-u', 'postgres']).toString().trim());
  const gid = Number(execFileSync('id', ['-g', 'postgres']).toString().trim());
  return { uid, gid };
}

export async function startPostgres() {
  const identity = postgresIdentity();
  const base = tempDir('chat-faults-pg-');
  tempDirs.add(base);
  if (identity.uid !== undefined) chownSync(base, identity.uid, identity.gid);
  const dataDir = join(base, 'data');
  execFileSync(
    join(PG_BIN, 'initdb'),
    ['-D', dataDir, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-sync'],
    {
      ...identity,
      cwd: base,
      stdio: 'pipe',
    },
  );
  const port = await freePort();
  let child = null;
  let log = '';

  const pg = {
    port,
    dataDir,
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    logs: () => log,
    get pid() {
      return child?.exitCode === null && child?.signalCode === null ? child.pid : null;
    },
    /** Starts the postmaster and waits until it accepts connections. */
    async start() {
      if (pg.pid) throw new Error('postgres already running');
      child = spawn(
        join(PG_BIN, 'postgres'),
        [
          '-D',
          dataDir,
          '-p',
          String(port),
          '-k',
          base,
          '-c',
          'listen_addresses=127.0.0.1',
          '-c',
          'fsync=off',
          '-c',
          'max_connections=200',
        ],
        { ...identity, cwd: base, stdio: ['ignore', 'pipe', 'pipe'] },
      );
      // SIGQUIT is PostgreSQL's immediate shutdown: it also takes the backends down with it.
      track(child, 'postgres', 'SIGQUIT');
      child.stdout.on('data', (d) => (log += d));
      child.stderr.on('data', (d) => (log += d));
      await until(() => pg.pid && isReady(), {
        timeoutMs: 20_000,
        everyMs: 100,
        what: `postgres on ${port}\n${log}`,
      });
      // We spawned the postmaster itself (no wrapper): make sure the PID we will signal is it.
      const postmasterPid = Number(
        readFileSync(join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0],
      );
      if (postmasterPid !== child.pid)
        throw new Error(`postmaster is ${postmasterPid}, we spawned ${child.pid}`);
    },
    /** Fast shutdown (SIGINT): clients are disconnected, then the postmaster exits. */
    async stop(signal = 'SIGINT') {
      const running = child;
      if (!pg.pid) return;
      const exited = new Promise((r) => running.once('exit', r));
      process.kill(running.pid, signal);
      await Promise.race([exited, sleep(15_000)]);
      if (running.exitCode === null && running.signalCode === null) {
        process.kill(running.pid, 'SIGQUIT');
        await exited;
      }
    },
    async restart(downMs = 0) {
      await pg.stop();
      if (downMs) await sleep(downMs);
      await pg.start();
    },
  };

  function isReady() {
    try {
      execFileSync(join(PG_BIN, 'pg_isready'), ['-h', '127.0.0.1', '-p', String(port), '-q'], {
        stdio: 'ignore',
      });
      return true;
    } catch {
      return false;
    }
  }

  await pg.start();
  return pg;
}

// ---------------------------------------------------------------------------------------------
// Redis: append-only file on, like docker/docker-compose.yml, so that sessions (kept in Redis)
// survive a restart as they do in production.

export async function startRedis({ persistent = true } = {}) {
  const dir = tempDir('chat-faults-redis-');
  tempDirs.add(dir);
  const port = await freePort();
  let child = null;
  let log = '';

  const redis = {
    port,
    url: `redis://127.0.0.1:${port}`,
    logs: () => log,
    get pid() {
      return child?.exitCode === null && child?.signalCode === null ? child.pid : null;
    },
    async start() {
      if (redis.pid) throw new Error('redis already running');
      child = spawn(
        REDIS_SERVER,
        [
          '--port',
          String(port),
          '--bind',
          '127.0.0.1',
          '--save',
          '',
          '--appendonly',
          persistent ? 'yes' : 'no',
          '--dir',
          dir,
        ],
        { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] },
      );
      track(child, 'redis');
      child.stdout.on('data', (d) => (log += d));
      child.stderr.on('data', (d) => (log += d));
      await until(() => redis.pid && /Ready to accept connections/.test(log), {
        timeoutMs: 10_000,
        what: `redis on ${port}\n${log}`,
      });
    },
    async stop(signal = 'SIGTERM') {
      const running = child;
      if (!redis.pid) return;
      const exited = new Promise((r) => running.once('exit', r));
      process.kill(running.pid, signal);
      await Promise.race([exited, sleep(10_000)]);
      if (running.exitCode === null && running.signalCode === null) {
        process.kill(running.pid, 'SIGKILL');
        await exited;
      }
      // The log only says "Ready" again after the next start.
      log = '';
    },
  };
  await redis.start();
  return redis;
}

// ---------------------------------------------------------------------------------------------
// The built API, configured for the fault tests: no rate limits (the load is ours), fast hashing,
// a short presence grace period.

export const FAST_ENV = {
  THROTTLE_ANON_LIMIT: '0',
  THROTTLE_USER_LIMIT: '0',
  MESSAGE_RATE_PER_SECOND: '0',
  LOGIN_MAX_FAILURES_ACCOUNT: '0',
  LOGIN_MAX_FAILURES_IP: '0',
  PRESENCE_GRACE_MS: '500',
  BCRYPT_COST: '4',
  LOG_LEVEL: 'warn',
};

let prefixes = 0;
/** A Redis key prefix no other run shares. */
export const uniquePrefix = (name) =>
  `faults-${name}-${process.pid}-${++prefixes}-${Date.now().toString(36)}:`;

export async function startApi({ pg, redis, prefix, env = {} } = {}) {
  const server = await startServer({
    ...FAST_ENV,
    UPLOAD_DIR: trackDir(tempDir('chat-faults-up-')),
    DATABASE_URL: pg.url,
    ...(redis ? { REDIS_URL: redis.url, REDIS_KEY_PREFIX: prefix } : {}),
    ...env,
  });
  track(server.child, 'api');
  if (!(await waitForHealth(server.url, 60_000))) {
    throw new Error(`API did not become healthy; logs:\n${server.logs().slice(-4000)}`);
  }
  return server;
}

/**
 * What every fault test starts from: its own PostgreSQL and Redis, and one API process per
 * entry of `instances` (extra environment for each), sharing them. `stop()` undoes it all.
 */
export async function startTopology(label, instances = [{}]) {
  const pg = await startPostgres();
  const redis = await startRedis();
  const prefix = uniquePrefix(label);
  const apis = await Promise.all(instances.map((env) => startApi({ pg, redis, prefix, env })));
  return {
    pg,
    redis,
    apis,
    async stop() {
      await Promise.all(apis.map((api) => api.stop()));
      await redis.stop();
      await pg.stop();
      killAll();
    },
  };
}

function trackDir(dir) {
  tempDirs.add(dir);
  return dir;
}

/** The resident memory of a process in kB (VmRSS in /proc/<pid>/status). */
export function rssKb(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)[1]);
}
