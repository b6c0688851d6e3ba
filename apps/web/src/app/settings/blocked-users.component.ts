import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import type { UserView } from '@chat/shared-dto';
import { BlocksStore } from '../chat/profile/blocks.store';
import { AvatarComponent } from '../chat/shared/avatar.component';
import { displayName } from '../chat/shared/format';
import { parseHttpError } from '../core/http/http-error';

interface BlockedRow {
  user: UserView;
  name: string;
}

/** The people I blocked, each with a way back: unblocking lets them message me again. */
@Component({
  selector: 'chat-blocked-users',
  imports: [AvatarComponent],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <h2 id="blocked-heading">Blocked people</h2>
    @if (error(); as message) {
      <p class="alert" role="alert" data-testid="blocked-error">{{ message }}</p>
    }
    @if (users() === null) {
      @if (!error()) {
        <p class="muted"><span class="spinner" aria-hidden="true"></span> Loading…</p>
      }
    } @else if (!rows().length) {
      <p class="muted" data-testid="blocked-empty">You haven't blocked anyone.</p>
    } @else {
      <ul class="people">
        @for (row of rows(); track row.user.id) {
          <li data-testid="blocked-row" [attr.data-username]="row.user.username">
            <chat-avatar
              [name]="row.name"
              [id]="row.user.id"
              [url]="row.user.avatarUrl"
              [size]="36"
            />
            <span class="who">
              <strong>{{ row.name }}</strong>
              <small>&#64;{{ row.user.username }}</small>
            </span>
            <button
              type="button"
              class="btn"
              [attr.data-testid]="'unblock-' + row.user.username"
              [attr.aria-label]="'Unblock ' + row.name"
              [disabled]="unblocking() === row.user.id"
              (click)="unblock(row.user)"
            >
              Unblock
            </button>
          </li>
        }
      </ul>
    }
  `,
  styles: `
    :host {
      display: block;
    }
    h2 {
      margin: 0 0 10px;
      font-size: 16px;
    }
    .muted {
      display: flex;
      align-items: center;
      gap: 8px;
      margin: 0;
      color: var(--text-muted);
      font-size: 14px;
    }
    .alert {
      margin-bottom: 8px;
    }
    .people {
      margin: 0;
      padding: 0;
      list-style: none;
    }
    li {
      display: flex;
      align-items: center;
      gap: 12px;
      padding: 10px 0;
      border-top: 1px solid var(--border);
    }
    .who {
      display: flex;
      flex: 1;
      flex-direction: column;
      min-width: 0;
      overflow-wrap: anywhere;
    }
    .who small {
      color: var(--text-muted);
    }
    .btn {
      flex: none;
    }
  `,
})
export class BlockedUsersComponent {
  private readonly blocks = inject(BlocksStore);

  protected readonly users = this.blocks.users;
  private readonly unblockError = signal<string | null>(null);
  protected readonly error = computed(() => this.unblockError() ?? this.blocks.error());
  protected readonly unblocking = signal<string | null>(null);
  protected readonly rows = computed<BlockedRow[]>(() =>
    (this.users() ?? []).map((user) => ({
      user,
      name: displayName(user),
    })),
  );

  constructor() {
    // The chat session has usually fetched it already; after a failed fetch this tries again.
    void this.blocks.load();
  }

  protected async unblock(user: UserView): Promise<void> {
    this.unblocking.set(user.id);
    this.unblockError.set(null);
    try {
      await this.blocks.unblock(user.id);
    } catch (err) {
      this.unblockError.set(parseHttpError(err).message);
    } finally {
      this.unblocking.set(null);
    }
  }
}
