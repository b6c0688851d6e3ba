import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { DataSource } from 'typeorm';
import { RedisService } from '../redis/redis.service';

/** The pg pool behind TypeORM, as far as its public counters go. */
interface PgPool {
  totalCount: number;
  idleCount: number;
  waitingCount: number;
}

const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

/**
 * Prometheus metrics for `/metrics`: Node's defaults (event-loop lag, heap, GC), sockets,
 * messages, send latencies, batch sizes, the database pool and the Redis connection.
 */
@Injectable()
export class MetricsService {
  readonly registry = new Registry();

  readonly socketsConnected = new Gauge({
    name: 'chat_sockets_connected',
    help: 'Connected Socket.IO clients',
    registers: [this.registry],
  });
  readonly messagesStored = new Counter({
    name: 'chat_messages_stored_total',
    help: 'Messages committed',
    registers: [this.registry],
  });
  readonly sendToCommit = new Histogram({
    name: 'chat_send_to_commit_seconds',
    help: 'From a send entering the writer to its transaction committing',
    buckets: LATENCY_BUCKETS,
    registers: [this.registry],
  });
  readonly sendToDeliver = new Histogram({
    name: 'chat_send_to_deliver_seconds',
    help: 'From message:send received to message:new handed to Socket.IO for every member',
    buckets: LATENCY_BUCKETS,
    registers: [this.registry],
  });
  readonly sendBatchSize = new Histogram({
    name: 'chat_send_batch_size',
    help: 'Messages per group-commit transaction',
    buckets: [1, 2, 4, 8, 16, 32, 64, 128, 256],
    registers: [this.registry],
  });

  constructor(@InjectDataSource() dataSource: DataSource, redis: RedisService) {
    collectDefaultMetrics({ register: this.registry, eventLoopMonitoringPrecision: 10 });
    const pool = () => (dataSource.driver as unknown as { master?: PgPool }).master;
    new Gauge({
      name: 'chat_db_pool_connections',
      help: 'Database pool connections by state',
      labelNames: ['state'],
      registers: [this.registry],
      collect() {
        const p = pool();
        if (!p) return;
        this.set({ state: 'total' }, p.totalCount);
        this.set({ state: 'idle' }, p.idleCount);
        this.set({ state: 'waiting' }, p.waitingCount);
      },
    });
    new Gauge({
      name: 'chat_redis_up',
      help: '1 when the Redis connection (adapter, sessions, presence) is ready, 0 when not, absent without Redis',
      registers: [this.registry],
      collect() {
        if (redis.client) this.set(redis.client.status === 'ready' ? 1 : 0);
      },
    });
  }

  render(): Promise<string> {
    return this.registry.metrics();
  }
}
