import { Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { EmbeddedPostgres } from './embedded-postgres';

/** Resolves where PostgreSQL is: the configured server, or an embedded PGlite started here. */
@Injectable()
export class DatabaseEndpoint {
  private readonly logger = new Logger(DatabaseEndpoint.name);
  private embedded?: EmbeddedPostgres;
  private url?: Promise<string>;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  resolve(): Promise<string> {
    this.url ??= this.start();
    return this.url;
  }

  get mode(): 'postgres' | 'embedded' {
    return this.config.database.mode;
  }

  private async start(): Promise<string> {
    const db = this.config.database;
    if (db.mode === 'postgres') {
      this.logger.log(`database: PostgreSQL at ${redactUrl(db.url)}`);
      return db.url;
    }
    // Room for the app's pool and a `npm run migrate` alongside.
    this.embedded = new EmbeddedPostgres(db.dataDir, 2);
    const url = await this.embedded.start();
    this.logger.log('database: embedded PGlite (set DB_HOST or DATABASE_URL for PostgreSQL)');
    return url;
  }

  async stopEmbedded(): Promise<void> {
    await this.embedded?.stop();
  }
}

/** Closes the pool before the embedded server under it. */
@Injectable()
export class EmbeddedDatabaseShutdown implements OnApplicationShutdown {
  constructor(
    private readonly endpoint: DatabaseEndpoint,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  async onApplicationShutdown(): Promise<void> {
    if (this.endpoint.mode !== 'embedded') return;
    if (this.dataSource.isInitialized) await this.dataSource.destroy();
    await this.endpoint.stopEmbedded();
  }
}

export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '<unparseable url>';
  }
}
