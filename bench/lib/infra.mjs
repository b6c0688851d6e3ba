// The bench's own database and Redis key space on the shared system servers (through the test
// kit): created per run, removed at the end, so other users of those servers (tests running
// meanwhile) see nothing. Only names the bench makes are ever dropped or cleaned.
import pg from 'pg';
import {
  cleanRedisPrefix as cleanPrefix,
  databaseUrl as urlOf,
  dropDatabase as drop,
  freshDatabase,
  REDIS_URL,
} from '@chat/test-kit';

export const PG = { host: '127.0.0.1', port: 5432, user: 'postgres' };
const ADMIN_URL = `postgres://${PG.user}@${PG.host}:${PG.port}/postgres`;
export { REDIS_URL };

export const databaseUrl = (db) => urlOf(db, ADMIN_URL);

export async function createDatabase(name) {
  await freshDatabase('bench', { name, adminUrl: ADMIN_URL });
}

/** Drops only databases this bench creates (`chat_bench_*`), ending their connections first. */
export async function dropDatabase(name) {
  if (!/^chat_bench_[a-z0-9_]+$/.test(name)) throw new Error(`refusing to drop ${name}`);
  await drop(name, ADMIN_URL);
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
  return cleanPrefix(prefix, REDIS_URL);
}
