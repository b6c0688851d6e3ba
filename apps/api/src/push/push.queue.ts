import { Logger } from '@nestjs/common';
import type { PushPayload } from '@chat/shared-dto';
import type { MessageCreatedEvent } from '../messages/message.events';

/**
 * The work behind a push, in two steps so that a retry repeats only what failed: a `fanout`
 * per new message picks the recipients and their subscriptions, a `deliver` per subscription
 * encrypts and sends one push.
 */
export type PushJob =
  | { kind: 'fanout'; event: MessageCreatedEvent }
  | { kind: 'deliver'; subscriptionId: string; payload: PushPayload; topic: string };

/** Thrown by a handler when trying again cannot help (a 4xx other than 404/410/429). */
export class PermanentPushError extends Error {
  override readonly name = 'PermanentPushError';
}

export interface RetryPolicy {
  attempts: number;
  /** The first retry's delay; each later one doubles it. */
  backoffMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { attempts: 5, backoffMs: 1000 };

/** Where pushes wait so that the send path never waits for a push service. */
export interface PushQueue {
  /** Resolves once the job is accepted, not when it has run. */
  add(job: PushJob, dedupeKey?: string): Promise<void>;
  /** A rejection retries the job with exponential backoff, a PermanentPushError drops it. */
  process(handler: (job: PushJob) => Promise<void>): void;
  close(): Promise<void>;
}

interface Pending {
  job: PushJob;
  attempt: number;
}

/**
 * The embedded mode's queue: in this process, bounded, with the same retry rule as BullMQ's.
 * Jobs waiting here are lost at a restart, as everything else kept in memory in that mode.
 */
export class InProcessPushQueue implements PushQueue {
  private readonly logger = new Logger(InProcessPushQueue.name);
  private readonly waiting: Pending[] = [];
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly running = new Set<Promise<void>>();
  private handler?: (job: PushJob) => Promise<void>;
  private closed = false;

  constructor(
    private readonly retry: RetryPolicy = DEFAULT_RETRY,
    private readonly concurrency = 4,
    private readonly capacity = 10_000,
  ) {}

  async add(job: PushJob): Promise<void> {
    if (this.closed) return;
    if (this.waiting.length >= this.capacity) {
      this.logger.warn(`push queue full (${this.capacity}): a push is dropped`);
      return;
    }
    this.waiting.push({ job, attempt: 1 });
    this.pump();
  }

  process(handler: (job: PushJob) => Promise<void>): void {
    this.handler = handler;
    this.pump();
  }

  /** Stops taking jobs and waits for those running; retries not yet due are dropped. */
  async close(): Promise<void> {
    this.closed = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    this.waiting.length = 0;
    // Running pushes get a moment to finish; a shutdown does not wait on a slow push service.
    await Promise.race([
      Promise.allSettled([...this.running]),
      new Promise((resolve) => setTimeout(resolve, 1_000).unref()),
    ]);
  }

  private pump(): void {
    const handler = this.handler;
    if (!handler) return;
    while (!this.closed && this.running.size < this.concurrency && this.waiting.length > 0) {
      const next = this.waiting.shift() as Pending;
      const run: Promise<void> = handler(next.job)
        .catch((err: Error) => this.failed(next, err))
        .finally(() => {
          this.running.delete(run);
          this.pump();
        });
      this.running.add(run);
    }
  }

  private failed(pending: Pending, err: Error): void {
    if (err instanceof PermanentPushError || pending.attempt >= this.retry.attempts) {
      this.logger.warn(
        `push ${pending.job.kind} failed after ${pending.attempt} attempt(s): ${err.message}`,
      );
      return;
    }
    if (this.closed) return;
    const delay = this.retry.backoffMs * 2 ** (pending.attempt - 1);
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      if (this.closed) return;
      this.waiting.push({ job: pending.job, attempt: pending.attempt + 1 });
      this.pump();
    }, delay);
    timer.unref();
    this.timers.add(timer);
  }
}
