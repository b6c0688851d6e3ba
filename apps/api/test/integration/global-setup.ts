import 'reflect-metadata';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import Redis from 'ioredis';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../../src/core/database/data-source-options';
import { EmbeddedPostgres } from '../../src/core/database/embedded-postgres';
import { reachable, SERVICES_ENV, TestServices } from './services';

const ADMIN_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/**
 * Finds PostgreSQL and Redis, creates a fresh database for this run and proves the migrations
 * go up, down and up again. In CI a missing server fails the run; elsewhere it is skipped
 * with a clear note and the embedded PGlite stands in for PostgreSQL.
 */
export default async function globalSetup(): Promise<void> {
  const ci = process.env.CI === 'true';
  const pg = new URL(ADMIN_URL);
  const redis = new URL(REDIS_URL);
  const [pgUp, redisUp] = await Promise.all([
    reachable(pg.hostname, Number(pg.port || 5432)),
    reachable(redis.hostname, Number(redis.port || 6379)),
  ]);
  if (ci && (!pgUp || !redisUp)) {
    throw new Error(
      `CI needs real services: PostgreSQL at ${pg.host} ${pgUp ? 'up' : 'DOWN'}, Redis at ${redis.host} ${redisUp ? 'up' : 'DOWN'}`,
    );
  }

  const run = `${Date.now().toString(36)}${process.pid.toString(36)}`;
  const services: TestServices = {
    databaseUrl: pgUp ? await createDatabase(ADMIN_URL, `chat_it_${run}`) : null,
    embeddedTemplate: pgUp ? null : await migratedEmbeddedTemplate(),
    redisUrl: redisUp ? REDIS_URL : null,
    redisPrefix: `chat-it-${run}:`,
  };
  if (services.databaseUrl) await provenMigrations(services.databaseUrl);
  if (services.redisUrl) await assertRedis(services.redisUrl);

  if (!pgUp)
    process.stdout.write(
      '\n[integration] SKIPPED real PostgreSQL (not reachable): each app on its own embedded PGlite, tests of two instances on one database skipped\n',
    );
  if (!redisUp)
    process.stdout.write(
      '[integration] SKIPPED Redis tests (not reachable): in-memory realtime only\n',
    );
  process.env[SERVICES_ENV] = JSON.stringify(services);
}

async function createDatabase(adminUrl: string, name: string): Promise<string> {
  const admin = new Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE "${name}"`);
  } finally {
    await admin.end();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

/** Up, down to nothing, and up again: every migration's `down` really undoes its `up`. */
async function provenMigrations(url: string): Promise<void> {
  const dataSource = new DataSource(dataSourceOptions(url, 2));
  await dataSource.initialize();
  try {
    const applied = await dataSource.runMigrations({ transaction: 'all' });
    for (let i = 0; i < applied.length; i++)
      await dataSource.undoLastMigration({ transaction: 'all' });
    const [{ count }] = await dataSource.query<{ count: string }[]>(
      `SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public' AND table_name <> 'migrations'`,
    );
    if (Number(count) !== 0) throw new Error(`migrations down left ${count} tables behind`);
    await dataSource.runMigrations({ transaction: 'all' });
  } finally {
    await dataSource.destroy();
  }
}

/**
 * Migrating a fresh PGlite takes most of an app's boot, long enough on a busy machine to pass
 * the hook timeout: it is done once here, and every app starts from a copy.
 */
async function migratedEmbeddedTemplate(): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'chat-it-pglite-'));
  const embedded = new EmbeddedPostgres(dir, 1);
  const dataSource = new DataSource(dataSourceOptions(await embedded.start(), 1));
  try {
    await dataSource.initialize();
    await dataSource.runMigrations({ transaction: 'all' });
  } finally {
    if (dataSource.isInitialized) await dataSource.destroy();
    await embedded.stop();
  }
  return dir;
}

async function assertRedis(url: string): Promise<void> {
  const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1 });
  await client.connect();
  await client.ping();
  client.disconnect();
}
