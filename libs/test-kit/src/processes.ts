// Our own PostgreSQL and Redis processes (fault tests restart, stop and kill them), started on
// free loopback ports and stopped by their PID only: the machine's PostgreSQL and Redis belong
// to someone else and are never touched. Every child is tracked so that a failing or
// interrupted test still leaves nothing running (after hooks, plus 'exit' and signal handlers).
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chownSync, existsSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { freePort } from './ports';
import { tempDir } from './server';
import { sleep, until } from './timing';

const alive = new Map<number, { name: string; killSignal: NodeJS.Signals }>();
const tempDirs = new Set<string>();
let handlersInstalled = false;

/** Kills `child` (with `killSignal`) when the test process ends, whatever ends it. */
export function track(
  child: ChildProcess,
  name: string,
  killSignal: NodeJS.Signals = 'SIGKILL',
): void {
  installExitHandlers();
  const { pid } = child;
  if (pid === undefined) return;
  alive.set(pid, { name, killSignal });
  child.once('exit', () => alive.delete(pid));
}

/** A temporary directory removed by `killAll`. */
export function trackedTempDir(prefix: string): string {
  const dir = tempDir(prefix);
  tempDirs.add(dir);
  return dir;
}

/** Synchronous, so that it also works from process 'exit'. */
export function killAll(): void {
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

function installExitHandlers(): void {
  if (handlersInstalled) return;
  handlersInstalled = true;
  process.once('exit', killAll);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(signal, () => {
      killAll();
      process.exit(130);
    });
  }
}

function findPostgresBin(): string | null {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return null;
  const versions = readdirSync(root)
    .filter((v) => existsSync(join(root, v, 'bin', 'initdb')))
    .sort((a, b) => Number(b) - Number(a));
  const newest = versions[0];
  return newest ? join(root, newest, 'bin') : null;
}

export function findOnPath(name: string): string | null {
  for (const dir of (process.env['PATH'] ?? '').split(':')) {
    if (dir && existsSync(join(dir, name))) return join(dir, name);
  }
  return null;
}

/** The newest PostgreSQL server binaries installed, or null. */
export const PG_BIN = findPostgresBin();
export const REDIS_SERVER = findOnPath('redis-server');

/** initdb and postgres refuse to run as root: run them as the `postgres` user then. */
function postgresIdentity(): { uid?: number; gid?: number } {
  if (process.getuid?.() !== 0) return {};
  const uid = Number(execFileSync('id', ['-u', 'postgres']).toString().trim());
  const gid = Number(execFileSync('id', ['-g', 'postgres']).toString().trim());
  return { uid, gid };
}

/** A process of ours that can be stopped and started again on the same port and data. */
export interface ServiceProcess {
  port: number;
  url: string;
  logs(): string;
  /** The PID while running, else null. */
  readonly pid: number | null;
  start(): Promise<void>;
  stop(signal?: NodeJS.Signals): Promise<void>;
}

export interface PostgresProcess extends ServiceProcess {
  dataDir: string;
  /** Stops, waits `downMs`, starts again. */
  restart(downMs?: number): Promise<void>;
}

const isRunning = (child: ChildProcess | null): child is ChildProcess & { pid: number } =>
  child !== null && child.exitCode === null && child.signalCode === null && child.pid !== undefined;

async function stopChild(
  child: ChildProcess | null,
  signal: NodeJS.Signals,
  graceMs: number,
  lastResort: NodeJS.Signals,
): Promise<void> {
  if (!isRunning(child)) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  process.kill(child.pid, signal);
  await Promise.race([exited, sleep(graceMs)]);
  if (isRunning(child)) {
    process.kill(child.pid, lastResort);
    await exited;
  }
}

/** initdb in a temporary directory, then the postmaster on a free port; answers it running. */
export async function startPostgres(): Promise<PostgresProcess> {
  const bin = PG_BIN;
  if (!bin) throw new Error('PostgreSQL server binaries not found (/usr/lib/postgresql/*/bin)');
  const identity = postgresIdentity();
  const base = trackedTempDir('chat-faults-pg-');
  if (identity.uid !== undefined && identity.gid !== undefined)
    chownSync(base, identity.uid, identity.gid);
  const dataDir = join(base, 'data');
  execFileSync(
    join(bin, 'initdb'),
    ['-D', dataDir, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-sync'],
    { ...identity, cwd: base, stdio: 'pipe' },
  );
  const port = await freePort();
  let child: ChildProcess | null = null;
  let log = '';

  const isReady = (): boolean => {
    try {
      execFileSync(join(bin, 'pg_isready'), ['-h', '127.0.0.1', '-p', String(port), '-q'], {
        stdio: 'ignore',
      });
      return true;
    } catch {
      return false;
    }
  };

  const pg: PostgresProcess = {
    port,
    dataDir,
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    logs: () => log,
    get pid() {
      return isRunning(child) ? child.pid : null;
    },
    /** Starts the postmaster and waits until it accepts connections. */
    async start() {
      if (pg.pid) throw new Error('postgres already running');
      const spawned = spawn(
        join(bin, 'postgres'),
        [
          ...['-D', dataDir, '-p', String(port), '-k', base],
          ...['-c', 'listen_addresses=127.0.0.1', '-c', 'fsync=off', '-c', 'max_connections=200'],
        ],
        { ...identity, cwd: base, stdio: ['ignore', 'pipe', 'pipe'] },
      );
      child = spawned;
      // SIGQUIT is PostgreSQL's immediate shutdown: it also takes the backends down with it.
      track(spawned, 'postgres', 'SIGQUIT');
      spawned.stdout.on('data', (d: Buffer) => (log += d.toString()));
      spawned.stderr.on('data', (d: Buffer) => (log += d.toString()));
      await until(() => pg.pid !== null && isReady(), {
        timeoutMs: 20_000,
        everyMs: 100,
        what: `postgres on ${port}\n${log}`,
      });
      // We spawned the postmaster itself (no wrapper): make sure the PID we will signal is it.
      const postmasterPid = Number(
        readFileSync(join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0],
      );
      if (postmasterPid !== spawned.pid)
        throw new Error(`postmaster is ${postmasterPid}, we spawned ${spawned.pid}`);
    },
    /** Fast shutdown (SIGINT): clients are disconnected, then the postmaster exits. */
    stop: (signal = 'SIGINT') => stopChild(child, signal, 15_000, 'SIGQUIT'),
    async restart(downMs = 0) {
      await pg.stop();
      if (downMs) await sleep(downMs);
      await pg.start();
    },
  };
  await pg.start();
  return pg;
}

/**
 * redis-server on a free port; append-only file on by default, like docker/docker-compose.yml,
 * so that sessions (kept in Redis) survive a restart as they do in production.
 */
export async function startRedis({
  persistent = true,
}: { persistent?: boolean } = {}): Promise<ServiceProcess> {
  const server = REDIS_SERVER;
  if (!server) throw new Error('redis-server not found on PATH');
  const dir = trackedTempDir('chat-faults-redis-');
  const port = await freePort();
  let child: ChildProcess | null = null;
  let log = '';

  const redis: ServiceProcess = {
    port,
    url: `redis://127.0.0.1:${port}`,
    logs: () => log,
    get pid() {
      return isRunning(child) ? child.pid : null;
    },
    async start() {
      if (redis.pid) throw new Error('redis already running');
      const spawned = spawn(
        server,
        [
          ...['--port', String(port), '--bind', '127.0.0.1', '--save', ''],
          ...['--appendonly', persistent ? 'yes' : 'no', '--dir', dir],
        ],
        { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] },
      );
      child = spawned;
      track(spawned, 'redis');
      spawned.stdout.on('data', (d: Buffer) => (log += d.toString()));
      spawned.stderr.on('data', (d: Buffer) => (log += d.toString()));
      await until(() => redis.pid !== null && /Ready to accept connections/.test(log), {
        timeoutMs: 10_000,
        what: `redis on ${port}\n${log}`,
      });
    },
    async stop(signal = 'SIGTERM') {
      await stopChild(child, signal, 10_000, 'SIGKILL');
      // The log only says "Ready" again after the next start.
      log = '';
    },
  };
  await redis.start();
  return redis;
}

/** The resident memory of a process in kB (VmRSS in /proc/<pid>/status); null without /proc. */
export function rssKb(pid: number): number | null {
  try {
    const match = /VmRSS:\s+(\d+)\s+kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) : null;
  } catch {
    return null;
  }
}
