// The bench's own database and Redis key space on the shared system servers: created per run,
// removed at the end, so other users of those servers (tests running meanwhile) see nothing.
import pg from 'pg';
import Redis from 'ioredis';

export const PG = { host: '127.0.0.1', port: 5432, user: 'postgres' };
export const REDIS_URL = 'redis://127.0.0.1:6379';

export const databaseUrl = (db) => `postgres://${PG.user}@${PG.host}:${PG.port}/${db}`;

async function withAdmin(fn) {
  const client = new pg.Client({ ...PG, database: 'postgres' });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

export async function createDatabase(name) {
  if (!/^[a-z0-9_]+$/.test(name)) throw new Error(`unsafe database name ${name}`);
  await withAdmin((c) => c.query(`CREATE DATABASE ${name}`));
}

/** Drops only databases this bench creates (`chat_bench_*`), ending their connections first. */
export async function dropDatabase(name) {
  if (!/^chat_bench_[a-z0-9_]+$/.test(name)) throw new Error(`refusing to drop ${name}`);
  await withAdmin(async (c) => {
    await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  });
}

/** A pg client on the bench database, for setup and verification queries. */
export async function dbClient(name) {
  const client = new pg.Client({ ...PG, database: name });
  await client.connect();
  return client;
}

/** Deletes every key under the run's prefix (SCAN, never KEYS, so Redis is not blocked). */
export async function cleanRedisPrefix(prefix) {
  if (!prefix.startsWith('bench:')) throw new Error(`refusing to clean ${prefix}`);
  const redis = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 1 });
  await redis.connect();
  let removed = 0;
  try {
    let cursor = '0';
    // Bounded: each SCAN call advances the cursor; 100k rounds is far beyond any run's keys.
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
