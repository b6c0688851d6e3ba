import { join } from 'node:path';

export const ROOT = join(__dirname, '../../..');
export const SERVER_MAIN = join(ROOT, 'dist/apps/api/apps/api/src/main.js');
export const WEB_DIST = join(ROOT, 'dist/apps/web/browser');
export const SERVER_LOG = join(ROOT, 'tmp/web-e2e/server.log');
/** Storage state and credentials of the users the `setup` project signs in. */
export const AUTH_DIR = join(ROOT, 'tmp/web-e2e/auth');
export const SCREENSHOTS_DIR = join(ROOT, 'docs/screenshots');
