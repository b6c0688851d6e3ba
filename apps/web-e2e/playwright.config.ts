/**
 * Browser end-to-end tests of the web client against the built API, which serves the built web
 * app. Global setup starts that server on a free port with a fresh embedded database; the
 * `setup` project signs the shared test users in once and saves their storage state.
 *
 *   npx nx run-many -t build --projects=api,web && node apps/web-e2e/run.mjs
 *
 * Debian's Chromium is driven directly (CHROMIUM_PATH, default /usr/bin/chromium): no browser
 * is ever downloaded. Traces and screenshots of failed tests land in tmp/web-e2e/results.
 */
import { defineConfig } from '@playwright/test';
import { join } from 'node:path';

const root = join(__dirname, '../..');
const screenshots = process.env.E2E_SCREENSHOTS === '1';

export default defineConfig({
  testDir: './src',
  outputDir: join(root, 'tmp/web-e2e/results'),
  globalSetup: './src/global-setup.ts',
  // The machine is shared: one browser at a time unless asked for more. Tests stay independent.
  workers: Number(process.env.E2E_WORKERS ?? 1),
  fullyParallel: true,
  forbidOnly: process.env.CI === 'true',
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 15_000 },
  // Screenshots for the README are made on demand (`npm run screenshots`), not on every run.
  grep: screenshots ? /@screenshots/ : undefined,
  grepInvert: screenshots ? undefined : /@screenshots/,
  reporter: [['list'], ['./src/summary-reporter.ts']],
  use: {
    // Set by the global setup before the workers start.
    baseURL: process.env.E2E_BASE_URL,
    viewport: { width: 1440, height: 900 },
    actionTimeout: 15_000,
    navigationTimeout: 30_000,
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
      headless: true,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--disable-quic',
        '--no-first-run',
        // Calls: a synthetic camera and microphone, granted without a prompt.
        '--use-fake-device-for-media-stream',
        '--use-fake-ui-for-media-stream',
      ],
    },
  },
  projects: [
    { name: 'setup', testMatch: /auth\.setup\.ts$/ },
    { name: 'chromium', testMatch: /\.spec\.ts$/, dependencies: ['setup'] },
  ],
});
