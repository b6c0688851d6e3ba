import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { loadAppConfig } from './core/config/app-config';
import { EnvironmentError } from './core/config/environment';
import { dataSourceOptions } from './core/database/data-source-options';
import { EmbeddedPostgres } from './core/database/embedded-postgres';
import { runMigrationsLocked } from './core/database/migration-runner';
import { entities } from './entities';

/**
 * `npm run migrate [up|down|status]`: applies pending migrations, reverts the last one, or
 * lists them, on the configured PostgreSQL or the embedded one.
 */
async function main(command: string): Promise<void> {
  const config = loadAppConfig();
  let embedded: EmbeddedPostgres | null = null;
  let url: string;
  if (config.database.mode === 'postgres') {
    url = config.database.url;
  } else {
    embedded = new EmbeddedPostgres(config.database.dataDir, 2);
    url = await embedded.start();
  }
  // Two connections on PostgreSQL (one holds the migration lock); PGlite takes one at a time.
  const dataSource = new DataSource(dataSourceOptions(url, embedded ? 1 : 2, { entities }));
  await dataSource.initialize();
  try {
    if (command === 'up') {
      const ran = await runMigrationsLocked(dataSource);
      console.log(ran.length ? `applied: ${ran.join(', ')}` : 'schema up to date');
    } else if (command === 'down') {
      await dataSource.undoLastMigration({ transaction: 'all' });
      console.log('reverted the last migration');
    } else if (command === 'status') {
      const pending = await dataSource.showMigrations();
      console.log(pending ? 'migrations pending' : 'schema up to date');
    } else {
      throw new Error(`unknown command "${command}": use up, down or status`);
    }
  } finally {
    await dataSource.destroy();
    await embedded?.stop();
  }
}

main(process.argv[2] ?? 'up').catch((err: unknown) => {
  process.stderr.write(
    `${err instanceof EnvironmentError || !(err instanceof Error) ? String(err instanceof Error ? err.message : err) : (err.stack ?? err.message)}\n`,
  );
  process.exit(1);
});
