import { Logger as NestLogger } from '@nestjs/common';
import type { Logger as TypeOrmLogger } from 'typeorm';

/**
 * TypeORM's errors and warnings through the app's (JSON) logger, without query parameters
 * (they hold message bodies and password hashes) and without the errors a statement raises on
 * purpose (the batch writer aborts a batch that meets a stored clientId: a resend, not a fault).
 */
export class QueryLogger implements TypeOrmLogger {
  private readonly logger = new NestLogger('Database');

  constructor(private readonly quietErrorCodes: readonly string[]) {}

  /** Every query would be one log line per message: never logged. */
  logQuery(): void {
    return;
  }

  logQueryError(error: string | Error, query: string): void {
    if (this.quietErrorCodes.includes((error as { code?: string }).code ?? '')) return;
    const message = error instanceof Error ? error.message : error;
    this.logger.error(`query failed: ${message} -- ${query.replace(/\s+/g, ' ').slice(0, 300)}`);
  }

  logQuerySlow(time: number, query: string): void {
    this.logger.warn(`slow query (${time} ms): ${query.replace(/\s+/g, ' ').slice(0, 300)}`);
  }

  logSchemaBuild(): void {
    return;
  }

  logMigration(message: string): void {
    this.logger.log(message);
  }

  log(level: 'log' | 'info' | 'warn', message: unknown): void {
    if (level === 'warn') this.logger.warn(String(message));
  }
}
