interface StoredDraft {
  text: string;
  at: number;
}

const MAX_AGE_MS = 30 * 24 * 60 * 60 * 1000;
const MAX_DRAFTS = 200;

/**
 * Unsent text per conversation, in localStorage under one key per user, so a reload (or
 * another tab) finds it again and a different account on this browser never sees it. Old and
 * excess drafts are dropped on write; a blank draft is removed.
 */
export class Drafts {
  constructor(
    private readonly storage: Storage | null,
    private readonly key: string,
    private readonly now: () => number = Date.now,
  ) {}

  static forUser(userId: string, storage: Storage | null = safeStorage()): Drafts {
    return new Drafts(storage, `chat.drafts.${userId}`);
  }

  get(conversationId: string): string {
    return this.read()[conversationId]?.text ?? '';
  }

  set(conversationId: string, text: string): void {
    const all = this.read();
    if (text.trim()) all[conversationId] = { text, at: this.now() };
    else delete all[conversationId];
    this.write(all);
  }

  clear(conversationId: string): void {
    this.set(conversationId, '');
  }

  private read(): Record<string, StoredDraft> {
    try {
      const parsed: unknown = JSON.parse(this.storage?.getItem(this.key) ?? '{}');
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return {};
      const drafts: Record<string, StoredDraft> = {};
      for (const [id, value] of Object.entries(parsed as Record<string, unknown>)) {
        const draft = value as Partial<StoredDraft> | null;
        if (typeof draft?.text === 'string' && typeof draft.at === 'number')
          drafts[id] = { text: draft.text, at: draft.at };
      }
      return drafts;
    } catch {
      return {};
    }
  }

  private write(all: Record<string, StoredDraft>): void {
    const now = this.now();
    const kept = Object.entries(all)
      .filter(([, draft]) => now - draft.at < MAX_AGE_MS)
      .sort(([, a], [, b]) => b.at - a.at)
      .slice(0, MAX_DRAFTS);
    try {
      if (kept.length) this.storage?.setItem(this.key, JSON.stringify(Object.fromEntries(kept)));
      else this.storage?.removeItem(this.key);
    } catch {
      // Storage full or blocked: the draft lives as long as the page.
    }
  }
}

function safeStorage(): Storage | null {
  try {
    return globalThis.localStorage ?? null;
  } catch {
    return null;
  }
}
