import { DataSourceOptions, EntitySchema } from 'typeorm';
import { migrations } from './migrations';
import { QueryLogger } from './query-logger';

export interface DataSourceExtras {
  /** Entities for a DataSource used outside Nest (the app registers them with `forFeature`). */
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  entities?: (Function | EntitySchema)[];
  /** SQLSTATEs a statement raises on purpose: not logged as failures. */
  quietErrorCodes?: readonly string[];
}

/** TypeORM options shared by the app, the migrate command and the tests. Never `synchronize`. */
export function dataSourceOptions(
  url: string,
  poolSize: number,
  extras: DataSourceExtras = {},
): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    entities: extras.entities ?? [],
    migrations,
    migrationsTableName: 'migrations',
    synchronize: false,
    migrationsRun: false,
    logger: new QueryLogger(extras.quietErrorCodes ?? []),
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
