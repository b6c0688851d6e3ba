import { Injectable, signal } from '@angular/core';

/** Server-side expiry is 5 s; a little more here covers a late `typing:stop`. */
const TYPING_EXPIRY_MS = 6000;

/** Who is typing where, from `typing:start` / `typing:stop`. */
@Injectable()
export class TypingStore {
  private readonly state = signal<Readonly<Record<string, readonly string[]>>>({});
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();

  readonly all = this.state.asReadonly();

  typers(conversationId: string): readonly string[] {
    return this.state()[conversationId] ?? [];
  }

  start(conversationId: string, userId: string): void {
    const key = `${conversationId}:${userId}`;
    const timer = this.timers.get(key);
    if (timer) clearTimeout(timer);
    this.timers.set(
      key,
      setTimeout(() => this.stop(conversationId, userId), TYPING_EXPIRY_MS),
    );
    const current = this.typers(conversationId);
    if (!current.includes(userId)) {
      this.state.update((state) => ({ ...state, [conversationId]: [...current, userId] }));
    }
  }

  stop(conversationId: string, userId: string): void {
    const key = `${conversationId}:${userId}`;
    const timer = this.timers.get(key);
    if (timer) clearTimeout(timer);
    this.timers.delete(key);
    const current = this.typers(conversationId);
    if (current.includes(userId)) {
      this.state.update((state) => ({
        ...state,
        [conversationId]: current.filter((id) => id !== userId),
      }));
    }
  }

  reset(): void {
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
    this.state.set({});
  }
}
