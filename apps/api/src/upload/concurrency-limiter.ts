/** Raised when more callers wait than the limiter was told to queue. */
export class QueueFullError extends Error {
  constructor() {
    super('too many jobs waiting');
    this.name = 'QueueFullError';
  }
}

/**
 * Runs at most `maxRunning` jobs at once and queues up to `maxQueued` more, in arrival order;
 * beyond that it refuses at once, so a burst becomes a quick error rather than unbounded memory.
 */
export class ConcurrencyLimiter {
  private running = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(
    private readonly maxRunning: number,
    private readonly maxQueued: number,
  ) {}

  async run<T>(job: () => Promise<T>): Promise<T> {
    await this.acquire();
    try {
      return await job();
    } finally {
      this.release();
    }
  }

  private acquire(): Promise<void> {
    if (this.running < this.maxRunning) {
      this.running += 1;
      return Promise.resolve();
    }
    if (this.waiting.length >= this.maxQueued) return Promise.reject(new QueueFullError());
    // The slot is handed over by `release` without decrementing `running`.
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  private release(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.running -= 1;
  }
}
