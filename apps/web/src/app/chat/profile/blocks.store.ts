import { Injectable, computed, inject, signal } from '@angular/core';
import type { UserUpdatedEvent, UserView } from '@chat/shared-dto';
import { firstValueFrom } from 'rxjs';
import { parseHttpError } from '../../core/http/http-error';
import { ProfileApi } from './profile.api';

/**
 * The people the signed-in user blocked: fetched once per session, then kept by this device's
 * own block/unblock calls (nobody else can change the list).
 */
@Injectable({ providedIn: 'root' })
export class BlocksStore {
  private readonly api = inject(ProfileApi);
  private readonly list = signal<readonly UserView[]>([]);
  private readonly loaded = signal(false);
  private readonly failure = signal<string | null>(null);
  private pending: Promise<void> | null = null;
  /** Bumped by reset(): an answer to a previous session's request is dropped. */
  private generation = 0;

  /** null until the list has been fetched. */
  readonly users = computed(() => (this.loaded() ? this.list() : null));
  readonly error = this.failure.asReadonly();
  readonly ids = computed(() => new Set(this.list().map((user) => user.id)));

  isBlocked(userId: string): boolean {
    return this.ids().has(userId);
  }

  /** Fetches the list unless it is already known or on its way; a failed fetch may be retried. */
  load(): Promise<void> {
    if (this.loaded()) return Promise.resolve();
    this.pending ??= this.fetch();
    return this.pending;
  }

  /** Throws the HTTP error when the server refuses. */
  async block(user: UserView): Promise<void> {
    await firstValueFrom(this.api.block(user.id));
    this.list.update((list) => [...list.filter((item) => item.id !== user.id), user]);
  }

  /** Throws the HTTP error when the server refuses. */
  async unblock(userId: string): Promise<void> {
    await firstValueFrom(this.api.unblock(userId));
    this.list.update((list) => list.filter((item) => item.id !== userId));
  }

  /** A blocked person still shows in settings under their current name and picture. */
  applyProfile(event: UserUpdatedEvent): void {
    if (!this.isBlocked(event.id)) return;
    this.list.update((list) =>
      list.map((user) => (user.id === event.id ? { ...user, ...event } : user)),
    );
  }

  reset(): void {
    this.generation++;
    this.pending = null;
    this.list.set([]);
    this.loaded.set(false);
    this.failure.set(null);
  }

  private async fetch(): Promise<void> {
    const generation = this.generation;
    try {
      const users = await firstValueFrom(this.api.blocked());
      if (generation !== this.generation) return;
      // A block made while the list was on its way is kept (the answer may predate it).
      const known = new Set(users.map((user) => user.id));
      this.list.update((local) => [...users, ...local.filter((user) => !known.has(user.id))]);
      this.loaded.set(true);
      this.failure.set(null);
    } catch (err) {
      if (generation === this.generation) this.failure.set(parseHttpError(err).message);
    } finally {
      if (generation === this.generation) this.pending = null;
    }
  }
}
