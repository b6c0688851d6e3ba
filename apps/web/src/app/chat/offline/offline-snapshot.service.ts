import { effect, inject, Injectable, signal } from '@angular/core';
import { ConversationsStore } from '../conversations/conversations.store';
import { MessagesStore } from '../messages/messages.store';
import type { SavedSession } from './offline-snapshot';
import { OfflineSnapshot } from './offline-snapshot';

/** Saving waits for the state to settle: a burst of messages is one write, not one each. */
const SAVE_DELAY_MS = 1500;

function safeStorage(): Storage | null {
  try {
    return globalThis.localStorage ?? null;
  } catch {
    return null;
  }
}

/**
 * Keeps the {@link OfflineSnapshot} of one signed-in session up to date while it runs, and
 * restores it when the app starts without reaching the server.
 */
@Injectable()
export class OfflineSnapshotService {
  private readonly conversations = inject(ConversationsStore);
  private readonly messages = inject(MessagesStore);
  private snapshot: OfflineSnapshot | null = null;
  private timer: ReturnType<typeof setTimeout> | null = null;
  /** When the state on screen came from this device's snapshot, not the server: its time. */
  private readonly restored = signal<string | null>(null);

  readonly restoredAt = this.restored.asReadonly();

  constructor() {
    effect(() => {
      // Only what the server confirmed is saved: never a restored snapshot again as if new.
      if (!this.conversations.loaded() || this.restored()) return;
      this.conversations.conversations();
      this.messages.loadedThreads();
      this.schedule();
    });
  }

  start(userId: string, storage: Storage | null = safeStorage()): void {
    this.stop();
    this.snapshot = new OfflineSnapshot(storage, `chat.snapshot.${userId}`);
  }

  /** Shows the saved state, if any; true when there was one. */
  restore(): boolean {
    const saved: SavedSession | null = this.snapshot?.read() ?? null;
    if (!saved) return false;
    this.restored.set(saved.savedAt);
    this.conversations.setAll(saved.conversations);
    this.messages.hydrate(saved.threads);
    return true;
  }

  /** The server answered: what is on screen is live again (and worth saving). */
  confirmed(): void {
    this.restored.set(null);
  }

  /** Ends this session's saving; `wipe` (an explicit logout) also erases what was saved. */
  stop(wipe = false): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (wipe) this.snapshot?.clear();
    this.snapshot = null;
    this.restored.set(null);
  }

  private schedule(): void {
    if (!this.snapshot || this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      if (this.restored()) return;
      this.snapshot?.write(this.conversations.conversations(), this.messages.loadedThreads());
    }, SAVE_DELAY_MS);
  }
}
