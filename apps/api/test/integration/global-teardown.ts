import { rmSync } from 'node:fs';
import { Client } from 'pg';
import Redis from 'ioredis';
import { readServices } from './services';

/** Drops this run's database (or embedded template) and Redis keys. */
export default async function globalTeardown(): Promise<void> {
  const services = readServices();
  if (services.embeddedTemplate)
    rmSync(services.embeddedTemplate, { recursive: true, force: true });
  if (services.databaseUrl) {
    const url = new URL(services.databaseUrl);
    const name = url.pathname.slice(1);
    url.pathname = '/postgres';
    const admin = new Client({ connectionString: url.toString() });
    await admin.connect();
    try {
      await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    } finally {
      await admin.end();
    }
  }
  if (services.redisUrl) {
    const redis = new Redis(services.redisUrl);
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(
        cursor,
        'MATCH',
        `${services.redisPrefix}*`,
        'COUNT',
        500,
      );
      if (keys.length) await redis.del(...keys);
      cursor = next;
    } while (cursor !== '0');
    redis.disconnect();
  }
}
