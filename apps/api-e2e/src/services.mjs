// Real PostgreSQL and Redis for end-to-end tests that need them (scale-out): a fresh database
// per test file on the local server, and a unique Redis key prefix. In CI their absence fails
// the test; elsewhere it is skipped with the reason.
import { randomBytes } from 'node:crypto';
import { connect } from 'node:net';
import pg from 'pg';

const ADMIN_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
export const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

function reachable(url) {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = connect({ host: hostname, port: Number(port) });
    const done = (ok) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1500, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/** Why these tests cannot run here, or null. Throws in CI, where they must run. */
export async function servicesMissing() {
  const [pgUp, redisUp] = await Promise.all([reachable(ADMIN_URL), reachable(REDIS_URL)]);
  if (pgUp && redisUp) return null;
  const reason = `needs PostgreSQL (${pgUp ? 'up' : 'down'}) and Redis (${redisUp ? 'up' : 'down'}) on 127.0.0.1`;
  if (process.env.CI === 'true') throw new Error(reason);
  return reason;
}

/** Creates a database for one test file; `drop()` removes it. */
export async function freshDatabase(label) {
  const name = `chat_e2e_${label}_${Date.now().toString(36)}${randomBytes(2).toString('hex')}`;
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  await admin.end();
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const c = new pg.Client({ connectionString: ADMIN_URL });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await c.end();
    },
  };
}

export const redisPrefix = (label) => `chat-e2e-${label}-${randomBytes(3).toString('hex')}:`;
