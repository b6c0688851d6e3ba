import { DynamicModule, Global, Inject, Logger, Module, OnModuleInit } from '@nestjs/common';
import { InjectDataSource, TypeOrmModule } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { dataSourceOptions } from './data-source-options';
import { DatabaseEndpoint, EmbeddedDatabaseShutdown } from './database-url.provider';
import { runMigrationsLocked } from './migration-runner';

@Global()
@Module({
  providers: [DatabaseEndpoint],
  exports: [DatabaseEndpoint],
})
class DatabaseEndpointModule {}

/**
 * TypeORM on PostgreSQL or embedded PGlite; runs migrations at boot unless
 * DB_MIGRATE_ON_START=false. Each feature registers its entities with `forFeature`.
 */
@Module({ providers: [EmbeddedDatabaseShutdown] })
export class DatabaseModule implements OnModuleInit {
  private readonly logger = new Logger(DatabaseModule.name);

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  /** `quietErrorCodes`: SQLSTATEs that features raise on purpose (not logged as failures). */
  static forRoot(options: { quietErrorCodes?: readonly string[] } = {}): DynamicModule {
    return {
      module: DatabaseModule,
      imports: [
        DatabaseEndpointModule,
        TypeOrmModule.forRootAsync({
          inject: [APP_CONFIG, DatabaseEndpoint],
          useFactory: async (config: AppConfig, endpoint: DatabaseEndpoint) => ({
            ...dataSourceOptions(await endpoint.resolve(), config.database.poolSize, options),
            autoLoadEntities: true,
          }),
        }),
      ],
    };
  }

  async onModuleInit(): Promise<void> {
    if (!this.config.database.migrateOnStart) return;
    const ran = await runMigrationsLocked(this.dataSource);
    this.logger.log(ran.length ? `migrations applied: ${ran.join(', ')}` : 'schema up to date');
  }
}
