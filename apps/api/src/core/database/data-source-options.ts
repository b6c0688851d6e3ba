import { DataSourceOptions } from 'typeorm';
import { entities } from './entities';
import { migrations } from './migrations';
import { QueryLogger } from './query-logger';

/** TypeORM options shared by the app, the migrate command and the tests. Never `synchronize`. */
export function dataSourceOptions(url: string, poolSize: number): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    entities,
    migrations,
    migrationsTableName: 'migrations',
    synchronize: false,
    migrationsRun: false,
    logger: new QueryLogger(),
    logging: ['error', 'warn', 'migration'],
    maxQueryExecutionTime: 1000,
    extra: {
      max: poolSize,
      connectionTimeoutMillis: 5000,
      // Keep the pool from wedging on a dead server: fail a query rather than hang forever.
      query_timeout: 30_000,
    },
  };
}
