import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import pg from 'pg';
import { urlReachable } from './ports';

/** The machine's PostgreSQL (admin database) and Redis, unless the environment says otherwise. */
export const ADMIN_DATABASE_URL =
  process.env['TEST_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/postgres';
export const REDIS_URL = process.env['TEST_REDIS_URL'] ?? 'redis://127.0.0.1:6379';

/**
 * Why tests needing PostgreSQL and Redis cannot run here, or null. Throws in CI, where they
 * must run; elsewhere the caller skips with the reason.
 */
export async function servicesMissing(): Promise<string | null> {
  const [pgUp, redisUp] = await Promise.all([
    urlReachable(ADMIN_DATABASE_URL),
    urlReachable(REDIS_URL),
  ]);
  if (pgUp && redisUp) return null;
  const reason = `needs PostgreSQL (${pgUp ? 'up' : 'down'}) and Redis (${redisUp ? 'up' : 'down'}) on 127.0.0.1`;
  if (process.env['CI'] === 'true') throw new Error(reason);
  return reason;
}

const SAFE_NAME = /^[a-z0-9_]+$/;

/** `postgres://.../<name>` on the same server as `adminUrl`. */
export function databaseUrl(name: string, adminUrl = ADMIN_DATABASE_URL): string {
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

async function withClient<T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

export interface FreshDatabase {
  name: string;
  url: string;
  /** Drops it, ending its connections first. */
  drop(): Promise<void>;
}

/**
 * Creates an empty database named `<prefix>_<label>_<unique>` (or exactly `name`) on the
 * admin server; only names made of [a-z0-9_] are accepted, as they go into SQL unquoted.
 */
export async function freshDatabase(
  label: string,
  {
    prefix = 'chat_e2e',
    name,
    adminUrl = ADMIN_DATABASE_URL,
  }: { prefix?: string; name?: string; adminUrl?: string } = {},
): Promise<FreshDatabase> {
  const dbName =
    name ?? `${prefix}_${label}_${Date.now().toString(36)}${randomBytes(2).toString('hex')}`;
  if (!SAFE_NAME.test(dbName)) throw new Error(`unsafe database name ${dbName}`);
  await withClient(adminUrl, (c) => c.query(`CREATE DATABASE ${dbName}`));
  return {
    name: dbName,
    url: databaseUrl(dbName, adminUrl),
    drop: () => dropDatabase(dbName, adminUrl),
  };
}

export async function dropDatabase(name: string, adminUrl = ADMIN_DATABASE_URL): Promise<void> {
  if (!SAFE_NAME.test(name)) throw new Error(`unsafe database name ${name}`);
  await withClient(adminUrl, (c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
}

/** Runs `fn` with a client on `url`, closed afterwards. */
export function withDatabase<T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  return withClient(url, fn);
}

/** A Redis key prefix no other run shares: `<scope>-<label>-<random>:`. */
export const redisPrefix = (label: string, scope = 'chat-e2e'): string =>
  `${scope}-${label}-${process.pid.toString(36)}${randomBytes(3).toString('hex')}:`;

/** Deletes every key under `prefix` (SCAN, never KEYS, so Redis is not blocked); answers how many. */
export async function cleanRedisPrefix(prefix: string, url = REDIS_URL): Promise<number> {
  // A short or empty prefix would match other people's keys on a shared server.
  if (!/^[\w.:-]{6,}:$/.test(prefix)) throw new Error(`refusing to clean prefix ${prefix}`);
  const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1 });
  await redis.connect();
  let removed = 0;
  try {
    let cursor = '0';
    // Bounded: each SCAN advances the cursor; 100k rounds is far beyond any run's keys.
    for (let round = 0; round < 100_000; round++) {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
      if (keys.length) removed += await redis.unlink(...keys);
      cursor = next;
      if (cursor === '0') break;
    }
  } finally {
    redis.disconnect();
  }
  return removed;
}
