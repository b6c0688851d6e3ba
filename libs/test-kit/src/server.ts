import { spawn, type ChildProcessByStdio } from 'node:child_process';
import { createWriteStream, existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { waitForHealth } from './health';
import { freePort } from './ports';
import { sleep } from './timing';
import { API_MAIN, ROOT } from './workspace';

/** Variables from the caller's shell that would point the server at other services. */
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

export const TEST_SERVER_SECRET = 'e2e-secret-0123456789abcdef0123456789';

/** Every limit off: for tests and benchmarks that send far more than a person would. */
export const NO_LIMITS: Readonly<Record<string, string>> = {
  THROTTLE_ANON_LIMIT: '0',
  THROTTLE_USER_LIMIT: '0',
  MESSAGE_RATE_PER_SECOND: '0',
  LOGIN_MAX_FAILURES_ACCOUNT: '0',
  LOGIN_MAX_FAILURES_IP: '0',
};

export const tempDir = (prefix: string): string => mkdtempSync(join(tmpdir(), prefix));

export interface StartServerOptions {
  /** Wins over the defaults (`NODE_ENV=test`, `LOG_LEVEL=info`, a JWT secret); `PORT` is used as given. */
  env?: Record<string, string>;
  /** The script to run; the built API by default. */
  main?: string;
  nodeArgs?: string[];
  /** Append the output to this file instead of keeping it in memory (long runs, the bench). */
  logFile?: string;
  /** Leave out the test defaults: for processes that are not the API (the bench's relay). */
  bare?: boolean;
  name?: string;
}

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface ServerProcess {
  name: string;
  child: ChildProcessByStdio<null, Readable, Readable>;
  pid: number;
  port: number;
  url: string;
  logFile: string | null;
  /** What it printed so far (the end of it, at most 1 MiB). */
  logs(): string;
  exited: Promise<Exit>;
  readonly running: boolean;
  /** SIGTERM, then SIGKILL if it has not exited in time; resolves with how it ended. */
  stop(timeoutMs?: number): Promise<Exit>;
  /** Sends a signal to its PID (a crash: SIGKILL; a deploy: SIGTERM) without waiting. */
  kill(signal: NodeJS.Signals): void;
}

const LOG_LIMIT = 1 << 20;

/** Spawns the server with a free port unless `env.PORT` names one; does not wait for it. */
export async function startServer(options: StartServerOptions = {}): Promise<ServerProcess> {
  const { env = {}, main = API_MAIN, nodeArgs = [], logFile = null, bare = false } = options;
  // A concurrent rebuild empties dist for a while: wait for it (bounded) rather than fail.
  for (let i = 0; i < 60 && !existsSync(main); i++) await sleep(1000);
  if (!existsSync(main))
    throw new Error(
      `${main} is missing: build first (npx nx run-many -t build --projects=api,web)`,
    );
  const port = env['PORT'] ? Number(env['PORT']) : await freePort();
  const base: NodeJS.ProcessEnv = { ...process.env };
  for (const name of SERVICE_VARS) delete base[name];
  // node --test marks its children with NODE_TEST_CONTEXT; a server is not a test file.
  delete base['NODE_TEST_CONTEXT'];
  const defaults = bare
    ? {}
    : { NODE_ENV: 'test', LOG_LEVEL: 'info', JWT_SECRET: TEST_SERVER_SECRET };
  const child = spawn(process.execPath, [...nodeArgs, main], {
    cwd: ROOT,
    env: { ...base, ...defaults, ...env, PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  if (logFile) {
    const log = createWriteStream(logFile, { flags: 'a' });
    child.stdout.pipe(log, { end: false });
    child.stderr.pipe(log, { end: false });
    child.once('exit', () => log.end());
  } else {
    const keep = (chunk: Buffer): void => {
      output += chunk.toString();
      if (output.length > LOG_LIMIT) output = output.slice(-LOG_LIMIT);
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
  }
  const exited = new Promise<Exit>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  if (child.pid === undefined) throw new Error(`could not spawn ${main}`);
  const pid = child.pid;
  const isRunning = (): boolean => child.exitCode === null && child.signalCode === null;
  return {
    name: options.name ?? 'api',
    child,
    pid,
    port,
    url: `http://127.0.0.1:${port}`,
    logFile,
    logs: () =>
      logFile
        ? existsSync(logFile)
          ? readFileSync(logFile, 'utf8').slice(-LOG_LIMIT)
          : ''
        : output,
    exited,
    get running() {
      return isRunning();
    },
    async stop(timeoutMs = 15_000) {
      if (!isRunning()) return exited;
      process.kill(pid, 'SIGTERM');
      const timer = setTimeout(() => {
        if (isRunning()) process.kill(pid, 'SIGKILL');
      }, timeoutMs);
      const result = await exited;
      clearTimeout(timer);
      return result;
    },
    kill(signal) {
      if (isRunning()) process.kill(pid, signal);
    },
  };
}

export interface StartApiOptions extends StartServerOptions {
  healthTimeoutMs?: number;
}

/**
 * `startServer`, then waits for `/health` to answer 200. A server that does not get there is
 * stopped, and the error carries the end of its output.
 */
export async function startApi(options: StartApiOptions = {}): Promise<ServerProcess> {
  const server = await startServer(options);
  const healthy = await waitForHealth(server.url, {
    timeoutMs: options.healthTimeoutMs ?? 60_000,
    child: server.child,
  });
  if (!healthy) {
    await server.stop();
    throw new Error(
      `${server.name} did not become healthy on ${server.url}; logs:\n${server.logs().slice(-4000)}`,
    );
  }
  return server;
}
