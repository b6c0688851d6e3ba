import { Injectable, signal } from '@angular/core';
import type { OutboxEntry, SendFn } from './outbox';
import { Outbox, OutboxRetryError } from './outbox';

const RETRY_DELAYS = [1000, 2000, 4000, 8000, 15000, 30000];

/** The Angular face of the persisted {@link Outbox}: entries as a signal, and retry timing. */
@Injectable()
export class OutboxService {
  private outbox: Outbox | null = null;
  private send: SendFn | null = null;
  private canSend: () => boolean = () => false;
  private retryTimer: ReturnType<typeof setTimeout> | null = null;
  private failures = 0;
  private readonly items = signal<readonly OutboxEntry[]>([]);

  readonly entries = this.items.asReadonly();

  start(
    userId: string,
    send: SendFn,
    canSend: () => boolean,
    storage: Storage | null = safeStorage(),
  ): void {
    this.stop();
    this.send = send;
    this.canSend = canSend;
    this.outbox = new Outbox(storage, `chat.outbox.${userId}`, (entries) =>
      this.items.set(entries),
    );
    this.items.set(this.outbox.entries());
  }

  enqueue(entry: Omit<OutboxEntry, 'attempts' | 'status' | 'createdAt'>): void {
    this.outbox?.add(entry);
    void this.flush();
  }

  /** A message with this clientId is known to the server: it is no longer pending. */
  settle(clientId: string): void {
    this.outbox?.settle(clientId);
  }

  retry(clientId: string): void {
    this.outbox?.retry(clientId);
    void this.flush();
  }

  discard(clientId: string): void {
    this.outbox?.settle(clientId);
  }

  /** Sends what is queued; on a retryable failure tries again with backoff while connected. */
  async flush(): Promise<void> {
    const outbox = this.outbox;
    const send = this.send;
    if (!outbox || !send || !this.canSend()) return;
    this.clearTimer();
    try {
      await outbox.flush(send);
      this.failures = 0;
    } catch (err) {
      if (!(err instanceof OutboxRetryError) || this.outbox !== outbox) return;
      const delay = RETRY_DELAYS[Math.min(this.failures, RETRY_DELAYS.length - 1)];
      this.failures++;
      this.retryTimer = setTimeout(() => void this.flush(), delay);
    }
  }

  /** Forgets the in-memory queue (the stored one stays for the next login), or wipes it too. */
  stop(wipe = false): void {
    this.clearTimer();
    if (wipe) for (const entry of this.outbox?.entries() ?? []) this.outbox?.settle(entry.clientId);
    this.outbox = null;
    this.send = null;
    this.failures = 0;
    this.items.set([]);
  }

  private clearTimer(): void {
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
  }
}

function safeStorage(): Storage | null {
  try {
    return globalThis.localStorage ?? null;
  } catch {
    return null;
  }
}
