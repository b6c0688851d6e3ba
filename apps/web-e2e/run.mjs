#!/usr/bin/env node
/**
 * Browser end-to-end tests of the web client: `playwright test` with apps/web-e2e's config,
 * whose global setup starts the built API (serving the built web app) on a free port with a
 * fresh embedded database. The run ends with the line tools/test.mjs counts:
 *   web-e2e: N passed, M failed
 *
 *   npx nx run-many -t build --projects=api,web && node apps/web-e2e/run.mjs [playwright args]
 *   node apps/web-e2e/run.mjs --screenshots    # regenerates docs/screenshots/*.png only
 *
 * Env: CHROMIUM_PATH (default /usr/bin/chromium), E2E_WORKERS (default 1).
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '../..');
const chromium = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

function fail(message) {
  console.error(`web-e2e: ${message}`);
  console.log('web-e2e: 0 passed, 1 failed');
  process.exit(1);
}

for (const [path, hint] of [
  [join(root, 'dist/apps/api/apps/api/src/main.js'), 'npx nx build api'],
  [join(root, 'dist/apps/web/browser/index.html'), 'npx nx build web'],
  [chromium, 'apt-get install -y chromium'],
]) {
  if (!existsSync(path)) fail(`missing ${path} (run: ${hint})`);
}

const args = process.argv.slice(2);
const env = { ...process.env };
if (args.includes('--screenshots')) {
  args.splice(args.indexOf('--screenshots'), 1);
  env.E2E_SCREENSHOTS = '1';
}

const cli = createRequire(import.meta.url).resolve('@playwright/test/cli');
const child = spawn(
  process.execPath,
  [cli, 'test', '--config', join(here, 'playwright.config.ts'), ...args],
  { cwd: root, env, stdio: 'inherit' },
);
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, () => child.kill(signal));
}
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
child.on('error', (error) => fail(String(error)));
