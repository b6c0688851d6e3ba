import { Logger } from '@nestjs/common';
import { Job, Queue, UnrecoverableError, Worker } from 'bullmq';
import { PermanentPushError, PushJob, PushQueue, RetryPolicy } from './push.queue';

const QUEUE_NAME = 'push';

/**
 * The queue when Redis is configured: jobs survive a restart and any instance's worker may run
 * them. Failed jobs retry with BullMQ's exponential backoff; a PermanentPushError becomes an
 * UnrecoverableError, which BullMQ does not retry.
 */
/** The longest a shutdown waits for the push queue. */
const CLOSE_WAIT_MS = 1_000;

export class BullPushQueue implements PushQueue {
  private readonly logger = new Logger(BullPushQueue.name);
  private readonly queue: Queue<PushJob>;
  private worker?: Worker<PushJob>;

  constructor(
    private readonly redisUrl: string,
    private readonly prefix: string,
    retry: RetryPolicy,
    private readonly concurrency = 8,
  ) {
    this.queue = new Queue<PushJob>(QUEUE_NAME, {
      // BullMQ's blocking commands need requests that never give up.
      connection: { url: redisUrl, maxRetriesPerRequest: null },
      prefix,
      defaultJobOptions: {
        attempts: retry.attempts,
        backoff: { type: 'exponential', delay: retry.backoffMs },
        // Completed ids stay a while so that a repeated fan-out does not push twice.
        removeOnComplete: { age: 600, count: 10_000 },
        removeOnFail: { age: 24 * 3600, count: 1_000 },
      },
    });
    this.queue.on('error', (err: Error) => this.logger.warn(`push queue: ${err.message}`));
  }

  async add(job: PushJob, dedupeKey?: string): Promise<void> {
    await this.queue.add(job.kind, job, dedupeKey ? { jobId: dedupeKey } : undefined);
  }

  process(handler: (job: PushJob) => Promise<void>): void {
    this.worker = new Worker<PushJob>(
      QUEUE_NAME,
      async (job: Job<PushJob>) => {
        try {
          await handler(job.data);
        } catch (err) {
          if (err instanceof PermanentPushError) throw new UnrecoverableError(err.message);
          throw err;
        }
      },
      {
        connection: { url: this.redisUrl, maxRetriesPerRequest: null },
        prefix: this.prefix,
        concurrency: this.concurrency,
      },
    );
    this.worker.on('error', (err: Error) => this.logger.warn(`push worker: ${err.message}`));
    this.worker.on('failed', (job, err) => {
      if (job && job.attemptsMade >= (job.opts.attempts ?? 1))
        this.logger.warn(
          `push ${job.name} failed after ${job.attemptsMade} attempt(s): ${err.message}`,
        );
    });
  }

  /**
   * Stops within a second whatever the push service or Redis do: running pushes are left to
   * BullMQ's stalled-job recovery (another instance picks them up), never waited on.
   */
  async close(): Promise<void> {
    const closing = Promise.allSettled([this.worker?.close(true), this.queue.close()]);
    await Promise.race([
      closing,
      new Promise((resolve) => setTimeout(resolve, CLOSE_WAIT_MS).unref()),
    ]);
  }
}
