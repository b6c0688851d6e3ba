import type {
  AttachmentView,
  EncryptedAttachmentContent,
  MessageView,
  ReplyPreview,
  SendMessagePayload,
} from '@chat/shared-dto';

export interface OutboxEntry {
  clientId: string;
  conversationId: string;
  type: 'text' | 'image' | 'file' | 'voice';
  content: string;
  fileUrl?: string;
  thumbnailUrl?: string;
  /** What the stored upload is, so a file card or voice player shows while the send is pending. */
  attachment?: AttachmentView;
  /**
   * In an encrypted conversation: the uploaded ciphertext's URL with its key, sent inside the
   * encrypted content (kept here, on this device only, until the message is acknowledged).
   */
  e2eAttachment?: EncryptedAttachmentContent;
  /** The message this one answers (shown as a quote while pending; sent as `replyToId`). */
  replyTo?: ReplyPreview;
  createdAt: string;
  attempts: number;
  status: 'queued' | 'failed';
  error?: string;
}

/** What one attempt to send an entry came to. */
export type SendOutcome =
  | { ok: true; message: MessageView }
  /** Try again later with the same clientId (timeout, dropped connection, rate limit). */
  | { ok: false; retry: true; error: string }
  /** The server refused it for good (bad request, not a member): show it as failed. */
  | { ok: false; retry: false; error: string };

export type SendFn = (entry: OutboxEntry) => Promise<SendOutcome>;

const MAX_AGE_MS = 7 * 24 * 60 * 60 * 1000;

export function toPayload(entry: OutboxEntry): SendMessagePayload {
  const payload: SendMessagePayload = {
    conversationId: entry.conversationId,
    clientId: entry.clientId,
    type: entry.type,
  };
  if (entry.content) payload.content = entry.content;
  if (entry.fileUrl) payload.fileUrl = entry.fileUrl;
  if (entry.replyTo) payload.replyToId = entry.replyTo.id;
  return payload;
}

function isEntry(value: unknown): value is OutboxEntry {
  if (typeof value !== 'object' || value === null) return false;
  const entry = value as Partial<OutboxEntry>;
  return (
    typeof entry.clientId === 'string' &&
    typeof entry.conversationId === 'string' &&
    typeof entry.content === 'string' &&
    (['text', 'image', 'file', 'voice'] as unknown[]).includes(entry.type) &&
    typeof entry.createdAt === 'string'
  );
}

/**
 * Messages not yet acknowledged, in the order they were written, persisted in localStorage so a
 * reload or a dropped connection loses nothing. Each is resent with its original `clientId`
 * until the server acknowledges it (the server dedupes), or refuses it for good.
 *
 * Several tabs may share the storage key: a write merges with what is stored, minus what this
 * tab has settled, so one tab never drops another's unsent messages.
 */
export class Outbox {
  private items: OutboxEntry[];
  private readonly settled = new Set<string>();
  private flushing: Promise<void> | null = null;
  private again = false;

  constructor(
    private readonly storage: Storage | null,
    private readonly key: string,
    private readonly onChange: (entries: readonly OutboxEntry[]) => void = () => undefined,
    private readonly now: () => number = Date.now,
  ) {
    this.items = this.read()
      .filter((entry) => this.now() - Date.parse(entry.createdAt) < MAX_AGE_MS)
      .map((entry) => ({ ...entry, status: entry.status === 'failed' ? 'failed' : 'queued' }));
    this.persist();
  }

  entries(): readonly OutboxEntry[] {
    return this.items;
  }

  has(clientId: string): boolean {
    return this.items.some((entry) => entry.clientId === clientId);
  }

  add(
    entry: Omit<OutboxEntry, 'attempts' | 'status' | 'createdAt'> & { createdAt?: string },
  ): OutboxEntry {
    const full: OutboxEntry = {
      ...entry,
      createdAt: entry.createdAt ?? new Date(this.now()).toISOString(),
      attempts: 0,
      status: 'queued',
    };
    this.items = [...this.items.filter((item) => item.clientId !== full.clientId), full];
    this.commit();
    return full;
  }

  /** The message reached the server (ack, or seen in `message:new` / history): forget it. */
  settle(clientId: string): boolean {
    if (!this.has(clientId)) return false;
    this.settled.add(clientId);
    this.items = this.items.filter((entry) => entry.clientId !== clientId);
    this.commit();
    return true;
  }

  /** Puts a failed entry back in the queue. */
  retry(clientId: string): void {
    this.update(clientId, { status: 'queued', error: undefined });
  }

  /**
   * Sends queued entries one by one, oldest first. Stops at the first retryable failure so order
   * is kept; refused entries are marked failed. Calls made while a flush runs schedule one more.
   */
  flush(send: SendFn): Promise<void> {
    if (this.flushing) {
      this.again = true;
      return this.flushing;
    }
    this.flushing = (async () => {
      try {
        do {
          this.again = false;
          await this.flushOnce(send);
        } while (this.again);
      } finally {
        this.flushing = null;
      }
    })();
    return this.flushing;
  }

  /** True when something is waiting to go out. */
  pending(): boolean {
    return this.items.some((entry) => entry.status === 'queued');
  }

  private async flushOnce(send: SendFn): Promise<void> {
    for (const entry of [...this.items]) {
      if (entry.status !== 'queued' || !this.has(entry.clientId)) continue;
      this.update(entry.clientId, { attempts: entry.attempts + 1 });
      let outcome: SendOutcome;
      try {
        outcome = await send(entry);
      } catch (err) {
        outcome = {
          ok: false,
          retry: true,
          error: err instanceof Error ? err.message : String(err),
        };
      }
      if (outcome.ok) {
        this.settle(entry.clientId);
      } else if (outcome.retry) {
        throw new OutboxRetryError(outcome.error);
      } else {
        this.update(entry.clientId, { status: 'failed', error: outcome.error });
      }
    }
  }

  private update(clientId: string, patch: Partial<OutboxEntry>): void {
    let changed = false;
    this.items = this.items.map((entry) => {
      if (entry.clientId !== clientId) return entry;
      changed = true;
      return { ...entry, ...patch };
    });
    if (changed) this.commit();
  }

  private commit(): void {
    this.persist();
    this.onChange(this.items);
  }

  private read(): OutboxEntry[] {
    try {
      const raw = this.storage?.getItem(this.key);
      const parsed: unknown = raw ? JSON.parse(raw) : [];
      return Array.isArray(parsed) ? parsed.filter(isEntry) : [];
    } catch {
      return [];
    }
  }

  private persist(): void {
    if (!this.storage) return;
    const mine = new Map(this.items.map((entry) => [entry.clientId, entry]));
    const others = this.read().filter(
      (entry) => !mine.has(entry.clientId) && !this.settled.has(entry.clientId),
    );
    const all = [...others, ...this.items].sort((a, b) => a.createdAt.localeCompare(b.createdAt));
    try {
      if (all.length) this.storage.setItem(this.key, JSON.stringify(all));
      else this.storage.removeItem(this.key);
    } catch {
      // Storage full: the queue still lives in memory for this tab.
    }
  }
}

/** A flush stopped because sending should be retried later. */
export class OutboxRetryError extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'OutboxRetryError';
  }
}
