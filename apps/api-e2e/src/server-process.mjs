// Starts the built API as a real process for end-to-end tests, and stops it by its PID.
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = resolve(fileURLToPath(import.meta.url), '../../../..');
export const API_MAIN = join(ROOT, 'dist/apps/api/apps/api/src/main.js');

/** Variables that would point the server at real services: removed unless a test sets them. */
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
];

export function freePort() {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolvePort(port));
    });
    server.on('error', reject);
  });
}

export const tempDir = (prefix) => mkdtempSync(join(tmpdir(), prefix));

/** Spawns the API; `logs()` returns what it printed so far. */
export async function startServer(env = {}) {
  const port = env.PORT ? Number(env.PORT) : await freePort();
  const base = { ...process.env };
  for (const name of SERVICE_VARS) delete base[name];
  let output = '';
  const child = spawn(process.execPath, [API_MAIN], {
    cwd: ROOT,
    env: {
      ...base,
      NODE_ENV: 'test',
      LOG_LEVEL: 'info',
      JWT_SECRET: 'e2e-secret-0123456789abcdef0123456789',
      ...env,
      PORT: String(port),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  const exited = new Promise((res) => child.on('exit', (code, signal) => res({ code, signal })));
  return {
    child,
    port,
    url: `http://127.0.0.1:${port}`,
    logs: () => output,
    exited,
    /** SIGTERM, then SIGKILL if it has not exited in time; resolves with how it ended. */
    async stop(timeoutMs = 15_000) {
      if (child.exitCode !== null || child.signalCode !== null) return exited;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
      const result = await exited;
      clearTimeout(timer);
      return result;
    },
  };
}

export async function waitForHealth(url, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      const res = await fetch(`${url}/health`, { signal: AbortSignal.timeout(2000) });
      if (res.status === 200) return true;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return false;
}
