#!/usr/bin/env node
/**
 * Browser end-to-end tests of the web client against the built API (which serves the built
 * web app). Starts the server on a free port with a fresh embedded database, drives Chromium
 * through playwright-core, stops the server by its PID, and ends with one summary line:
 *   web-e2e: N passed, M failed
 *
 *   npx nx build api && npx nx build web && node apps/web-e2e/run.mjs
 *
 * Env: CHROMIUM_PATH (default /usr/bin/chromium), E2E_SCREENSHOTS=0 to skip screenshots,
 * E2E_KEEP_LOGS=1 to print the server log.
 */
import { spawn } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  createWriteStream,
} from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { createHarness } from './src/harness.mjs';
import { runScenarios } from './src/scenarios.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const serverMain = join(root, 'dist/apps/api/apps/api/src/main.js');
const webDist = join(root, 'dist/apps/web/browser');
const executablePath = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

function freePort() {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolvePort(port));
    });
  });
}

async function waitForHealth(base, child, timeoutMs = 120_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null)
      throw new Error(`the API exited early with code ${child.exitCode}`);
    try {
      const response = await fetch(`${base}/health`);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 300));
  }
  throw new Error(`the API did not become healthy within ${timeoutMs / 1000} s`);
}

function stopServer(child) {
  return new Promise((resolveStop) => {
    if (!child || child.exitCode !== null || child.signalCode !== null) return resolveStop();
    const timer = setTimeout(() => {
      try {
        process.kill(child.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }, 10_000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolveStop();
    });
    try {
      process.kill(child.pid, 'SIGTERM');
    } catch {
      clearTimeout(timer);
      resolveStop();
    }
  });
}

async function main() {
  for (const [path, hint] of [
    [serverMain, 'npx nx build api'],
    [join(webDist, 'index.html'), 'npx nx build web'],
    [executablePath, 'apt-get install -y chromium'],
  ]) {
    if (!existsSync(path)) {
      console.error(`web-e2e: missing ${path} (run: ${hint})`);
      console.log('web-e2e: 0 passed, 1 failed');
      process.exit(1);
    }
  }

  const port = await freePort();
  const base = `http://localhost:${port}`;
  const work = mkdtempSync(join(tmpdir(), 'chat-web-e2e-'));
  const dataDir = join(work, 'data');
  const uploadDir = join(work, 'uploads');
  mkdirSync(dataDir);
  mkdirSync(uploadDir);
  const logPath = join(work, 'server.log');
  const log = createWriteStream(logPath);

  console.log(`web-e2e: starting the API on ${base} (data in ${work})`);
  const inherited = { ...process.env };
  // A fresh embedded database and in-memory state: never a developer's Postgres or Redis.
  for (const key of ['DATABASE_URL', 'DB_HOST', 'REDIS_URL', 'REDIS_HOST']) delete inherited[key];
  const child = spawn(process.execPath, [serverMain], {
    cwd: root,
    env: {
      ...inherited,
      PORT: String(port),
      NODE_ENV: 'test',
      EMBEDDED_DATA_DIR: dataDir,
      UPLOAD_DIR: uploadDir,
      JWT_SECRET: 'web-e2e-secret-that-is-long-enough-0123456789',
      THROTTLE_ANON_LIMIT: '0',
      THROTTLE_USER_LIMIT: '0',
      MESSAGE_RATE_PER_SECOND: '0',
      CLIENT_URL: base,
      WEB_DIST_DIR: webDist,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout.pipe(log);
  child.stderr.pipe(log);
  // Never leave the server behind: not on Ctrl+C, a kill, or a closed stdout (`| head`).
  const killChild = () => {
    try {
      if (child.exitCode === null) process.kill(child.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  };
  process.on('exit', killChild);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
    process.once(signal, () => {
      killChild();
      process.exit(130);
    });
  }
  process.stdout.on('error', () => undefined);

  const harness = createHarness();
  let browser;
  let fatal = null;
  try {
    await waitForHealth(base, child);
    browser = await chromium.launch({
      executablePath,
      headless: true,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--disable-quic',
        '--no-first-run',
      ],
    });
    await runScenarios({
      browser,
      base,
      harness,
      screenshotsDir: process.env.E2E_SCREENSHOTS === '0' ? null : join(root, 'docs/screenshots'),
      failuresDir: join(work, 'failures'),
    });
  } catch (error) {
    fatal = error;
    console.error(`web-e2e: ${error?.stack ?? error}`);
  } finally {
    await browser?.close().catch(() => undefined);
    await stopServer(child);
    log.end();
  }

  const passed = harness.results.filter((r) => r.ok).length;
  const failed = harness.results.length - passed + (fatal ? 1 : 0);
  if (failed || process.env.E2E_KEEP_LOGS === '1') {
    const text = existsSync(logPath) ? readFileSync(logPath, 'utf8') : '';
    const lines = text.trim().split('\n');
    console.log(
      `\n--- last server log lines (${logPath}) ---\n${lines.slice(-40).join('\n')}\n---`,
    );
  }
  if (!failed && process.env.E2E_KEEP_LOGS !== '1') rmSync(work, { recursive: true, force: true });
  console.log(`web-e2e: ${passed} passed, ${failed} failed`);
  process.exit(failed ? 1 : 0);
}

main().catch((error) => {
  console.error(error);
  console.log('web-e2e: 0 passed, 1 failed');
  process.exit(1);
});
