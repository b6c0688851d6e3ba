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
  duplicate(options: { enableAutoPipelining?: boolean } = {}): Redis {
    if (!this.client) throw new Error('Redis is not configured');
    const copy = this.client.duplicate({ ...options, keyPrefix: '' });
    copy.on('error', (err: Error) => this.logger.warn(`redis: ${err.message}`));
    this.connections.push(copy);
    return copy;
  }

  /** Answers within a second: a health check must not wait out the reconnect backoff. */
  async ping(): Promise<boolean> {
    if (!this.client) return true;
    if (this.client.status !== 'ready') return false;
    const timeout = new Promise<false>((resolve) => setTimeout(() => resolve(false), 1000).unref());
    return Promise.race([
      this.client.ping().then(
        (r) => r === 'PONG',
        () => false,
      ),
      timeout,
    ]);
  }

  /**
   * A connection for the Socket.IO adapter to publish on. The adapter publishes on every
   * broadcast and never handles a failed publish, which would crash the process while Redis is
   * down; here a failure is logged once per outage and local delivery carries on.
   *
   * Auto-pipelined: the publishes of one event-loop turn (a committed batch fans out many at
   * once) go out in one socket write instead of one each, which was the largest single cost
   * of a message after the WebSocket writes (`docs/performance.md`).
   */
  publisher(): Redis {
    const pub = this.duplicate({ enableAutoPipelining: true });
    const publish = pub.publish.bind(pub) as (
      channel: string,
      message: string | Buffer,
    ) => Promise<number>;
    let failing = false;
    pub.publish = ((channel: string, message: string | Buffer) =>
      publish(channel, message).then(
        (receivers) => {
          if (failing) this.logger.log('redis: publishing again');
          failing = false;
          return receivers;
        },
        (err: Error) => {
          if (!failing)
            this.logger.warn(
              `redis: cannot publish, other instances miss events until it returns: ${err.message}`,
            );
          failing = true;
          return 0;
        },
      )) as Redis['publish'];
    return pub;
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
