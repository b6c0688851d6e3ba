import { DataSource } from 'typeorm';

/** An arbitrary constant: instances starting together take turns at migrating. */
const MIGRATION_LOCK_KEY = 72_420_001;

/**
 * Runs pending migrations in one transaction under a PostgreSQL advisory lock, so that several
 * instances booting at once never race on the schema. Returns the names of those it ran.
 */
export async function runMigrationsLocked(dataSource: DataSource): Promise<string[]> {
  if (!lockNeeded(dataSource))
    return (await dataSource.runMigrations({ transaction: 'all' })).map((m) => m.name);
  const lockRunner = dataSource.createQueryRunner();
  await lockRunner.connect();
  try {
    await lockRunner.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    const ran = await dataSource.runMigrations({ transaction: 'all' });
    return ran.map((m) => m.name);
  } finally {
    await lockRunner
      .query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY])
      .catch(() => undefined);
    await lockRunner.release();
  }
}

/** One connection (the embedded database) means one instance: nobody to race with. */
function lockNeeded(dataSource: DataSource): boolean {
  const max = (dataSource.options as { extra?: { max?: number } }).extra?.max ?? 10;
  return max > 1;
}
