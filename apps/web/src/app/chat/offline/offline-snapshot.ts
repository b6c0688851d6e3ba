import type { ConversationView, MessageView } from '@chat/shared-dto';

/** What this device keeps of a session so that it can be read without a connection. */
export interface SavedSession {
  savedAt: string;
  conversations: ConversationView[];
  /** Per conversation, its newest messages in ascending seq. */
  threads: Record<string, MessageView[]>;
}

export const SNAPSHOT_LIMITS = {
  /** The most recently active conversations kept. */
  conversations: 30,
  /** The newest messages kept per conversation. */
  messagesPerThread: 50,
  /** localStorage holds about 5 MB per origin, shared with the outbox and drafts. */
  bytes: 1_500_000,
} as const;

function isSavedSession(value: unknown): value is SavedSession {
  if (typeof value !== 'object' || value === null) return false;
  const saved = value as Partial<SavedSession>;
  return (
    typeof saved.savedAt === 'string' &&
    Array.isArray(saved.conversations) &&
    typeof saved.threads === 'object' &&
    saved.threads !== null
  );
}

/**
 * The last state of the conversation list and the threads a user read, kept in the browser's
 * storage under a per-user key, bounded in size, and wiped at logout: what lets the app show
 * conversations read-only when it starts without a connection (as WhatsApp Web does).
 */
export class OfflineSnapshot {
  constructor(
    private readonly storage: Storage | null,
    private readonly key: string,
  ) {}

  read(): SavedSession | null {
    try {
      const parsed: unknown = JSON.parse(this.storage?.getItem(this.key) ?? 'null');
      return isSavedSession(parsed) ? parsed : null;
    } catch {
      return null;
    }
  }

  /**
   * Saves the newest conversations (the list arrives newest activity first) with their threads,
   * halving what is kept until it fits; returns how many conversations were saved.
   */
  write(
    conversations: readonly ConversationView[],
    threads: Readonly<Record<string, readonly MessageView[]>>,
    now = new Date(),
  ): number {
    if (!this.storage) return 0;
    for (let keep: number = SNAPSHOT_LIMITS.conversations; keep >= 1; keep = Math.floor(keep / 2)) {
      const kept = conversations.slice(0, keep);
      const saved: SavedSession = {
        savedAt: now.toISOString(),
        conversations: kept,
        threads: Object.fromEntries(
          kept
            .filter((c) => threads[c.id]?.length)
            .map((c) => [c.id, threads[c.id].slice(-SNAPSHOT_LIMITS.messagesPerThread)]),
        ),
      };
      const json = JSON.stringify(saved);
      if (json.length > SNAPSHOT_LIMITS.bytes) continue;
      try {
        this.storage.setItem(this.key, json);
        return kept.length;
      } catch {
        // Over the quota: try again with less.
      }
    }
    this.clear();
    return 0;
  }

  clear(): void {
    try {
      this.storage?.removeItem(this.key);
    } catch {
      // Storage that cannot be written cannot hold a snapshot either.
    }
  }
}
