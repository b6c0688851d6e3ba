import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { readServices } from '../test/integration/services';
import { dataSourceOptions } from './core/database/data-source-options';
import { EmbeddedPostgres } from './core/database/embedded-postgres';
import { entities } from './entities';

/**
 * The entities are the truth of the schema: against a database the migrations built, TypeORM
 * finds nothing to change, so `migration:generate` from the entities would be empty.
 */
describe('entities and migrations', () => {
  let embedded: EmbeddedPostgres | null = null;
  let dataDir: string | null = null;
  let db: DataSource;

  beforeAll(async () => {
    let url = readServices().databaseUrl;
    if (!url) {
      dataDir = mkdtempSync(join(tmpdir(), 'chat-schema-'));
      embedded = new EmbeddedPostgres(dataDir, 1);
      url = await embedded.start();
    }
    db = new DataSource(dataSourceOptions(url, 1, { entities }));
    await db.initialize();
    await db.runMigrations({ transaction: 'all' });
  });

  afterAll(async () => {
    await db?.destroy();
    await embedded?.stop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('generating a migration from the entities against the migrated schema yields nothing', async () => {
    const pending = await db.driver.createSchemaBuilder().log();
    expect(pending.upQueries.map((q) => q.query)).toEqual([]);
  });

  it('maps every table the migrations create to an entity', async () => {
    const tables = await db.query<{ table_name: string }[]>(
      `SELECT table_name FROM information_schema.tables
        WHERE table_schema = 'public' AND table_name <> 'migrations'`,
    );
    const mapped = new Set(db.entityMetadatas.map((m) => m.tableName));
    expect(tables.map((t) => t.table_name).filter((t) => !mapped.has(t))).toEqual([]);
  });
});
