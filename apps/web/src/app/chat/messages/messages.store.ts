import type { Signal } from '@angular/core';
import { Injectable, computed, inject, signal } from '@angular/core';
import type { MessageView } from '@chat/shared-dto';
import { firstValueFrom } from 'rxjs';
import type { HistoryQuery } from '../conversations/conversations.api';
import { ConversationsApi } from '../conversations/conversations.api';
import {
  fetchChanges,
  fetchForward,
  findGaps,
  lastSeq,
  maxRev,
  mergeMessages,
  relevantChanges,
} from './message-merge';
import { parseHttpError } from '../../core/http/http-error';

export const PAGE_SIZE = 50;
export const CATCH_UP_PAGE = 100;
/** The server's largest page (`limit` 1..100). */
export const MAX_PAGE = 100;
const MAX_RETRIES = 4;
const RETRY_BASE_MS = 500;

export interface Thread {
  messages: readonly MessageView[];
  status: 'loading' | 'ready' | 'error';
  loadingOlder: boolean;
  hasOlder: boolean;
  error: string | null;
}

const EMPTY: Thread = {
  messages: [],
  status: 'loading',
  loadingOlder: false,
  hasOlder: false,
  error: null,
};

/**
 * Confirmed messages per conversation, ascending by seq, never duplicated. A thread exists once
 * it was opened; from then on live messages are merged in, and a jump in seq (a missed event)
 * or a reconnect triggers a catch-up with `after=<last seq>`.
 */
@Injectable()
export class MessagesStore {
  private readonly api = inject(ConversationsApi);
  private readonly threads = signal<Readonly<Record<string, Thread>>>({});
  private readonly views = new Map<string, Signal<Thread>>();
  private readonly queues = new Map<string, Promise<unknown>>();
  private readonly catchUpFailures = new Map<string, number>();
  /** Per conversation, the highest rev already replayed from the change feed. */
  private readonly replayedRev = new Map<string, number>();
  private generation = 0;

  /** The thread of a conversation (an empty, loading one before it is opened). */
  thread(conversationId: string): Signal<Thread> {
    let view = this.views.get(conversationId);
    if (!view) {
      view = computed(() => this.threads()[conversationId] ?? EMPTY);
      this.views.set(conversationId, view);
    }
    return view;
  }

  isOpen(conversationId: string): boolean {
    return conversationId in this.threads();
  }

  /** The messages of every thread that loaded, for the offline snapshot. */
  readonly loadedThreads = computed(() =>
    Object.fromEntries(
      Object.entries(this.threads())
        .filter(([, thread]) => thread.status === 'ready')
        .map(([id, thread]) => [id, thread.messages]),
    ),
  );

  /**
   * Threads saved on this device, shown until the server is reachable; a reconnect catches
   * them up (`after`) and replays their changes (`changedSince`) like any loaded thread.
   */
  hydrate(saved: Readonly<Record<string, readonly MessageView[]>>): void {
    for (const [id, messages] of Object.entries(saved)) {
      if (this.threads()[id]?.status === 'ready' || !messages.length) continue;
      this.patch(id, {
        messages: mergeMessages([], messages),
        status: 'ready',
        hasOlder: messages[0].seq > 1,
        error: null,
      });
    }
  }

  loadedIds(): string[] {
    return Object.entries(this.threads())
      .filter(([, thread]) => thread.status === 'ready')
      .map(([id]) => id);
  }

  newest(conversationId: string): MessageView | null {
    const messages = this.threads()[conversationId]?.messages ?? [];
    return messages.length ? messages[messages.length - 1] : null;
  }

  find(conversationId: string, messageId: string): MessageView | null {
    return this.threads()[conversationId]?.messages.find((m) => m.id === messageId) ?? null;
  }

  /**
   * An edit, a tombstone or a reaction change (`message:updated`, or an ack of one): replaces
   * the held copy when its rev is newer. A message this device never loaded is left alone (the
   * history brings it as it is now). Returns true when it replaced the held copy.
   */
  applyUpdate(message: MessageView): boolean {
    const previous = this.find(message.conversationId, message.id);
    if (!previous || message.rev <= previous.rev) return false;
    this.patch(message.conversationId, (current) => ({
      messages: mergeMessages(current.messages, [message]),
    }));
    return true;
  }

  /**
   * Loads older pages until the message with `seq` is held (to show the original of a reply).
   * Returns false when it cannot be reached.
   */
  async reveal(conversationId: string, seq: number): Promise<boolean> {
    for (;;) {
      const thread = this.threads()[conversationId];
      if (!thread || thread.status !== 'ready') return false;
      if (thread.messages.some((m) => m.seq === seq)) return true;
      if (!thread.hasOlder || (thread.messages[0]?.seq ?? 0) <= seq) return false;
      const before = thread.messages[0]?.seq;
      await this.loadOlder(conversationId);
      if (this.threads()[conversationId]?.messages[0]?.seq === before) return false;
    }
  }

  /**
   * Makes the message with `seq` held (to open a search result at its place): when it is not,
   * loads the page around it (`around=<seq>`), merges it with what is held and lets the
   * catch-up fill the hole up to the newest message, so older paging, live messages and read
   * marks work from there as from any opened thread. Returns false when it cannot be reached.
   */
  async openAt(conversationId: string, seq: number): Promise<boolean> {
    const held = this.threads()[conversationId];
    if (held?.status === 'ready' && held.messages.some((m) => m.seq === seq)) return true;
    if (!held || held.status === 'error')
      this.patch(conversationId, { status: 'loading', error: null });
    const generation = this.generation;
    try {
      const page = await this.fetchRetrying(conversationId, { around: seq, limit: PAGE_SIZE });
      if (generation !== this.generation) return false;
      // The server puts half the page before `seq`: fewer means the start of the history.
      const reachedStart = page.filter((m) => m.seq < seq).length < Math.floor(PAGE_SIZE / 2);
      this.patch(conversationId, (thread) => {
        const first = thread.messages[0]?.seq;
        const extendsBack = first === undefined || (page[0] !== undefined && page[0].seq < first);
        return {
          messages: mergeMessages(thread.messages, page),
          status: 'ready',
          error: null,
          hasOlder: extendsBack ? !reachedStart && (page[0]?.seq ?? 1) > 1 : thread.hasOlder,
        };
      });
      await this.catchUp(conversationId);
      return this.threads()[conversationId]?.messages.some((m) => m.seq === seq) ?? false;
    } catch (err) {
      if (generation !== this.generation) return false;
      if (this.threads()[conversationId]?.status !== 'ready')
        this.patch(conversationId, { status: 'error', error: parseHttpError(err).message });
      return false;
    }
  }

  /**
   * After a reconnect: everything that changed while away (`changedSince=<highest rev held>`,
   * paged), so edits, tombstones and reactions made meanwhile show. Serialized with the
   * catch-up of the same conversation.
   */
  replayChanges(conversationId: string): Promise<void> {
    return this.enqueue(conversationId, () => this.replayNow(conversationId));
  }

  /**
   * Loads the newest page the first time a conversation is shown (or after an error); with
   * `unread` messages waiting, a page large enough to reach the first of them (up to the
   * server's maximum), so the reader can start there.
   */
  async open(conversationId: string, unread = 0): Promise<void> {
    const current = this.threads()[conversationId];
    if (current && current.status !== 'error') return;
    this.patch(conversationId, { status: 'loading', error: null });
    const generation = this.generation;
    const limit = Math.min(MAX_PAGE, Math.max(PAGE_SIZE, unread + 10));
    try {
      const page = await this.fetchRetrying(conversationId, { limit });
      if (generation !== this.generation) return;
      this.patch(conversationId, (thread) => ({
        messages: mergeMessages(thread.messages, page),
        status: 'ready',
        hasOlder: page.length >= limit && (page[0]?.seq ?? 1) > 1,
      }));
      // Messages that arrived while the page loaded may sit past a hole: fill it.
      if (findGaps(this.thread(conversationId)().messages).length)
        await this.catchUp(conversationId);
    } catch (err) {
      // Gone, or shown from this device's snapshot meanwhile: nothing to report.
      if (generation !== this.generation || this.threads()[conversationId]?.status === 'ready')
        return;
      this.patch(conversationId, { status: 'error', error: parseHttpError(err).message });
    }
  }

  /** The previous page (`before=<first seq>`), for scrolling up. */
  async loadOlder(conversationId: string): Promise<void> {
    const thread = this.threads()[conversationId];
    if (!thread || thread.status !== 'ready' || thread.loadingOlder || !thread.hasOlder) return;
    const first = thread.messages[0];
    if (!first) return;
    this.patch(conversationId, { loadingOlder: true });
    const generation = this.generation;
    try {
      const page = await this.fetch(conversationId, { limit: PAGE_SIZE, before: first.seq });
      if (generation !== this.generation) return;
      this.patch(conversationId, (current) => ({
        messages: mergeMessages(current.messages, page),
        loadingOlder: false,
        hasOlder: page.length >= PAGE_SIZE && (page[0]?.seq ?? 1) > 1,
      }));
    } catch {
      if (generation !== this.generation) return;
      this.patch(conversationId, { loadingOlder: false });
    }
  }

  /**
   * A live message (or an ack). Merged into an open thread; when it reveals a hole, the missing
   * range is fetched. Returns true when it was new to an open thread.
   */
  receive(message: MessageView): boolean {
    const thread = this.threads()[message.conversationId];
    if (!thread) return false;
    const before = thread.messages;
    const merged = mergeMessages(before, [message]);
    if (merged === before) return false;
    this.patch(message.conversationId, { messages: merged });
    if (thread.status === 'ready' && before.length && message.seq > lastSeq(before) + 1) {
      void this.catchUp(message.conversationId);
    }
    return true;
  }

  /**
   * Fetches everything after the last held seq (paging until a short page) and fills any hole in
   * between. Serialized per conversation.
   */
  catchUp(conversationId: string): Promise<void> {
    return this.enqueue(conversationId, () => this.catchUpNow(conversationId));
  }

  private enqueue(conversationId: string, task: () => Promise<void>): Promise<void> {
    const previous = this.queues.get(conversationId) ?? Promise.resolve();
    const run = previous.catch(() => undefined).then(task);
    this.queues.set(conversationId, run);
    return run.finally(() => {
      if (this.queues.get(conversationId) === run) this.queues.delete(conversationId);
    });
  }

  drop(conversationId: string): void {
    this.threads.update((threads) => {
      const next = { ...threads };
      delete next[conversationId];
      return next;
    });
  }

  reset(): void {
    this.generation++;
    this.threads.set({});
    this.queues.clear();
    this.catchUpFailures.clear();
    this.replayedRev.clear();
  }

  private async replayNow(conversationId: string): Promise<void> {
    const thread = this.threads()[conversationId];
    if (!thread || thread.status !== 'ready' || !thread.messages.length) return;
    const generation = this.generation;
    const since = Math.max(maxRev(thread.messages), this.replayedRev.get(conversationId) ?? 0);
    try {
      const changes = await fetchChanges(
        (changedSince, limit) => this.fetch(conversationId, { changedSince, limit }),
        since,
        { limit: CATCH_UP_PAGE },
      );
      if (generation !== this.generation || !changes.length) return;
      this.replayedRev.set(conversationId, Math.max(since, maxRev(changes)));
      this.patch(conversationId, (current) => ({
        messages: mergeMessages(current.messages, relevantChanges(current.messages, changes)),
      }));
    } catch {
      // The next reconnect replays again from the same rev; live updates keep flowing meanwhile.
    }
  }

  private async catchUpNow(conversationId: string): Promise<void> {
    const thread = this.threads()[conversationId];
    if (!thread || thread.status !== 'ready') return;
    const generation = this.generation;
    const fetchAfter = (after: number, limit: number) =>
      this.fetch(conversationId, { after, limit });
    try {
      const gaps = findGaps(thread.messages);
      const filled: MessageView[] = [];
      for (const gap of gaps) {
        filled.push(
          ...(await fetchForward(fetchAfter, gap.after, {
            limit: CATCH_UP_PAGE,
            until: gap.before,
          })),
        );
      }
      const tail = await fetchForward(fetchAfter, lastSeq(thread.messages), {
        limit: CATCH_UP_PAGE,
      });
      if (generation !== this.generation) return;
      this.patch(conversationId, (current) => ({
        messages: mergeMessages(current.messages, [...filled, ...tail]),
      }));
      this.catchUpFailures.delete(conversationId);
    } catch {
      // A failed catch-up must not leave a hole: try again a few times (the next reconnect
      // catches up anyway).
      if (generation !== this.generation) return;
      const failures = (this.catchUpFailures.get(conversationId) ?? 0) + 1;
      this.catchUpFailures.set(conversationId, failures);
      if (failures <= MAX_RETRIES) {
        setTimeout(
          () => {
            if (generation === this.generation) void this.catchUp(conversationId);
          },
          RETRY_BASE_MS * 2 ** (failures - 1),
        );
      }
    }
  }

  /** A first page is worth a couple of quick retries before the user sees an error. */
  private async fetchRetrying(conversationId: string, query: HistoryQuery): Promise<MessageView[]> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.fetch(conversationId, query);
      } catch (err) {
        const status = (err as { status?: number }).status ?? 0;
        const transient = status === 0 || status >= 500 || status === 429;
        if (!transient || attempt >= 2) throw err;
        await new Promise((resolve) => setTimeout(resolve, RETRY_BASE_MS * 2 ** attempt));
      }
    }
  }

  private fetch(conversationId: string, query: HistoryQuery): Promise<MessageView[]> {
    return firstValueFrom(this.api.messages(conversationId, query));
  }

  private patch(
    conversationId: string,
    change: Partial<Thread> | ((thread: Thread) => Partial<Thread>),
  ): void {
    this.threads.update((threads) => {
      const current = threads[conversationId] ?? EMPTY;
      const delta = typeof change === 'function' ? change(current) : change;
      return { ...threads, [conversationId]: { ...current, ...delta } };
    });
  }
}
