import { Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import Redis from 'ioredis';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { redactUrl } from '../database/database-url.provider';

/**
 * The Redis connections, when Redis is configured. `client` runs commands with the key prefix
 * applied; `duplicate()` gives the extra connections pub/sub needs (no prefix: channels are
 * named by their users).
 */
@Injectable()
export class RedisService implements OnApplicationShutdown {
  private readonly logger = new Logger(RedisService.name);
  private readonly connections: Redis[] = [];
  readonly client: Redis | null;
  readonly keyPrefix: string;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.keyPrefix = config.redis?.keyPrefix ?? 'chat:';
    if (!config.redis) {
      this.client = null;
      this.logger.log('realtime: in-memory (set REDIS_HOST or REDIS_URL to scale out)');
      return;
    }
    this.client = this.connect(config.redis.url, { keyPrefix: this.keyPrefix });
    this.logger.log(`realtime: Redis at ${redactUrl(config.redis.url)}`);
  }

  get enabled(): boolean {
    return this.client !== null;
  }

  /** A new connection for pub/sub or blocking commands, closed with the app. */
  duplicate(): Redis {
    if (!this.client) throw new Error('Redis is not configured');
    const copy = this.client.duplicate({ keyPrefix: '' });
    copy.on('error', (err: Error) => this.logger.warn(`redis: ${err.message}`));
    this.connections.push(copy);
    return copy;
  }

  async ping(): Promise<boolean> {
    if (!this.client) return true;
    try {
      return (await this.client.ping()) === 'PONG';
    } catch {
      return false;
    }
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.all(this.connections.map((c) => c.quit().catch(() => c.disconnect())));
  }

  private connect(url: string, options: { keyPrefix: string }): Redis {
    const client = new Redis(url, {
      keyPrefix: options.keyPrefix,
      // Fail commands quickly while Redis is down instead of queueing them without bound.
      maxRetriesPerRequest: 2,
      enableOfflineQueue: true,
      retryStrategy: (attempt) => Math.min(attempt * 200, 2000),
    });
    client.on('error', (err: Error) => this.logger.warn(`redis: ${err.message}`));
    this.connections.push(client);
    return client;
  }
}
