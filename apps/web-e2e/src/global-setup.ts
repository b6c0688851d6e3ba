import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT, SERVER_LOG, SERVER_MAIN, WEB_DIST } from './paths';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

async function waitForHealth(base: string, child: ChildProcess, timeoutMs = 120_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null)
      throw new Error(`the API exited early with code ${child.exitCode} (log: ${SERVER_LOG})`);
    try {
      if ((await fetch(`${base}/health`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
  throw new Error(
    `the API did not become healthy within ${timeoutMs / 1000} s (log: ${SERVER_LOG})`,
  );
}

function stop(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined)
      return resolve();
    const pid = child.pid;
    const timer = setTimeout(() => {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }, 10_000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    try {
      process.kill(pid, 'SIGTERM');
    } catch {
      clearTimeout(timer);
      resolve();
    }
  });
}

/**
 * Starts the built API (which serves the built web app) on a free port with a fresh embedded
 * database, and hands its address to the workers through E2E_BASE_URL. Builds nothing.
 */
export default async function globalSetup(): Promise<() => Promise<void>> {
  for (const [path, hint] of [
    [SERVER_MAIN, 'npx nx build api'],
    [join(WEB_DIST, 'index.html'), 'npx nx build web'],
  ]) {
    if (!existsSync(path)) throw new Error(`missing ${path} (run: ${hint})`);
  }
  const port = await freePort();
  const base = `http://localhost:${port}`;
  const work = mkdtempSync(join(tmpdir(), 'chat-web-e2e-'));
  mkdirSync(join(work, 'data'));
  mkdirSync(join(work, 'uploads'));
  mkdirSync(join(ROOT, 'tmp/web-e2e'), { recursive: true });
  const log = createWriteStream(SERVER_LOG);

  const inherited = { ...process.env };
  // A fresh embedded database and in-memory state: never a developer's Postgres or Redis.
  for (const key of ['DATABASE_URL', 'DB_HOST', 'REDIS_URL', 'REDIS_HOST']) delete inherited[key];
  const child = spawn(process.execPath, [SERVER_MAIN], {
    cwd: ROOT,
    env: {
      ...inherited,
      PORT: String(port),
      NODE_ENV: 'test',
      EMBEDDED_DATA_DIR: join(work, 'data'),
      UPLOAD_DIR: join(work, 'uploads'),
      JWT_SECRET: 'web-e2e-secret-that-is-long-enough-0123456789',
      THROTTLE_ANON_LIMIT: '0',
      THROTTLE_USER_LIMIT: '0',
      MESSAGE_RATE_PER_SECOND: '0',
      // Long enough to answer a call in a test, short enough to wait for a missed one.
      CALL_RING_TIMEOUT_MS: '6000',
      CLIENT_URL: base,
      WEB_DIST_DIR: WEB_DIST,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.pipe(log);
  child.stderr?.pipe(log);
  // Never leave the server behind, even when the runner is killed.
  const kill = () => {
    try {
      if (child.exitCode === null && child.pid !== undefined) process.kill(child.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  };
  process.on('exit', kill);

  try {
    await waitForHealth(base, child);
  } catch (error) {
    await stop(child);
    throw error;
  }
  process.env.E2E_BASE_URL = base;
  console.log(`web-e2e: API on ${base} (log: ${SERVER_LOG})`);

  return async () => {
    await stop(child);
    log.end();
    process.off('exit', kill);
    rmSync(work, { recursive: true, force: true });
  };
}
