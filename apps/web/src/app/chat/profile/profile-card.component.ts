import type { ElementRef } from '@angular/core';
import {
  ChangeDetectionStrategy,
  Component,
  computed,
  inject,
  output,
  signal,
  viewChild,
} from '@angular/core';
import { Router, RouterLink } from '@angular/router';
import type { UserView } from '@chat/shared-dto';
import { firstValueFrom } from 'rxjs';
import { AuthStore } from '../../core/auth/auth.store';
import { parseHttpError } from '../../core/http/http-error';
import { IconComponent } from '../../shared/icon.component';
import { ChatSession } from '../chat-session.service';
import { ConversationsApi } from '../conversations/conversations.api';
import { ConversationsStore } from '../conversations/conversations.store';
import { AvatarComponent } from '../shared/avatar.component';
import { conversationTitle, displayName, lastSeenText } from '../shared/format';
import { PageVisibility } from '../shared/page-visibility.service';
import { BlocksStore } from './blocks.store';
import { ProfileApi } from './profile.api';
import { sharedGroups } from './shared-groups';

const PROFILE_FIELDS = [
  'id',
  'username',
  'displayName',
  'avatarUrl',
  'statusMessage',
  'status',
  'lastSeen',
] as const;

/** The public part of a profile, without the fields a partial copy leaves undefined. */
function profileOf(user: UserView): Partial<UserView> {
  const profile: Partial<Record<(typeof PROFILE_FIELDS)[number], unknown>> = {};
  for (const field of PROFILE_FIELDS) if (user[field] !== undefined) profile[field] = user[field];
  return profile as Partial<UserView>;
}

/**
 * A person's card (a modal dialog): picture, names, status, presence, the groups we share, and
 * what can be done with them (message, block or unblock). My own card leads to settings instead.
 */
@Component({
  selector: 'chat-profile-card',
  imports: [AvatarComponent, IconComponent, RouterLink],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <dialog
      #dialog
      class="dialog"
      aria-labelledby="profile-card-name"
      data-testid="profile-card"
      [attr.data-user-id]="userId()"
      (close)="onClosed()"
    >
      <div class="body">
        <button
          type="button"
          class="icon-btn close"
          aria-label="Close"
          data-testid="profile-card-close"
          (click)="close()"
        >
          <chat-icon name="close" />
        </button>
        @if (person(); as user) {
          <chat-avatar
            [name]="name()"
            [id]="user.id"
            [url]="user.avatarUrl"
            [online]="online()"
            [size]="96"
          />
          <h2 id="profile-card-name" data-testid="profile-card-name">{{ name() }}</h2>
          <p class="muted" data-testid="profile-card-username">&#64;{{ user.username }}</p>
          @if (user.statusMessage) {
            <p class="status" data-testid="profile-card-status">{{ user.statusMessage }}</p>
          }
          @if (presence(); as text) {
            <p class="muted" data-testid="profile-card-presence">{{ text }}</p>
          }

          @if (!self()) {
            <section class="groups" aria-labelledby="profile-card-groups-heading">
              <h3 id="profile-card-groups-heading">Groups in common</h3>
              <ul data-testid="profile-card-shared-groups">
                @for (group of groups(); track group.id) {
                  <li>
                    <a
                      data-testid="profile-card-group"
                      [routerLink]="['/c', group.id]"
                      (click)="leave()"
                    >
                      <chat-avatar
                        [name]="group.title"
                        [id]="group.id"
                        [group]="true"
                        [size]="28"
                      />
                      <span>{{ group.title }}</span>
                    </a>
                  </li>
                } @empty {
                  <li class="none">No groups in common</li>
                }
              </ul>
            </section>
          }

          @if (error(); as message) {
            <p class="alert" role="alert" data-testid="profile-card-error">{{ message }}</p>
          }

          @if (self()) {
            <a
              class="btn btn-primary"
              routerLink="/settings"
              data-testid="profile-card-edit"
              (click)="close()"
              >Edit profile</a
            >
          } @else if (confirmBlock()) {
            <div class="confirm" role="group" aria-labelledby="profile-card-confirm-text">
              <p id="profile-card-confirm-text">
                Block &#64;{{ user.username }}? They can no longer message you directly or see when
                you're online. You both stay in the groups you share.
              </p>
              <div class="row">
                <button
                  type="button"
                  class="btn danger"
                  data-testid="profile-card-block-confirm"
                  [disabled]="busy()"
                  (click)="block(user)"
                >
                  Block
                </button>
                <button
                  type="button"
                  class="btn"
                  data-testid="profile-card-block-cancel"
                  (click)="confirmBlock.set(false)"
                >
                  Cancel
                </button>
              </div>
            </div>
          } @else {
            <div class="row">
              <button
                type="button"
                class="btn btn-primary"
                data-testid="profile-card-message"
                [disabled]="busy()"
                (click)="message(user)"
              >
                <chat-icon name="chat" /> Message
              </button>
              @if (blocked()) {
                <button
                  type="button"
                  class="btn"
                  data-testid="profile-card-unblock"
                  [disabled]="busy()"
                  (click)="unblock(user)"
                >
                  Unblock
                </button>
              } @else {
                <button
                  type="button"
                  class="btn danger"
                  data-testid="profile-card-block"
                  (click)="confirmBlock.set(true)"
                >
                  Block
                </button>
              }
            </div>
          }
        } @else if (error(); as message) {
          <h2 id="profile-card-name" data-testid="profile-card-name">Profile</h2>
          <p class="alert" role="alert" data-testid="profile-card-error">{{ message }}</p>
        } @else if (userId()) {
          <h2 id="profile-card-name" class="visually-hidden">Profile</h2>
          <span class="spinner" aria-hidden="true"></span>
        }
      </div>
    </dialog>
  `,
  styles: `
    .dialog {
      width: min(380px, calc(100vw - 24px));
      max-height: calc(100dvh - 24px);
      padding: 0;
      border: 1px solid var(--border);
      border-radius: var(--radius-lg);
      background: var(--surface);
      color: var(--text);
      box-shadow: var(--shadow);
    }
    .dialog::backdrop {
      background: rgba(8, 10, 16, 0.5);
    }
    .body {
      position: relative;
      display: flex;
      flex-direction: column;
      align-items: center;
      gap: 6px;
      padding: 24px 20px 20px;
      text-align: center;
      overflow-wrap: anywhere;
    }
    .close {
      position: absolute;
      top: 8px;
      right: 8px;
    }
    h2 {
      margin: 8px 0 0;
      font-size: 20px;
    }
    p {
      margin: 0;
    }
    .muted,
    .none {
      color: var(--text-muted);
      font-size: 14px;
    }
    .status {
      font-size: 15px;
    }
    .groups {
      align-self: stretch;
      margin-top: 12px;
      text-align: left;
    }
    h3 {
      margin: 0 0 4px;
      font-size: 13px;
      letter-spacing: 0.04em;
      text-transform: uppercase;
      color: var(--text-muted);
    }
    ul {
      margin: 0;
      padding: 0;
      list-style: none;
    }
    li a {
      display: flex;
      align-items: center;
      gap: 10px;
      min-height: 40px;
      padding: 4px 6px;
      border-radius: var(--radius-sm);
      color: inherit;
      text-decoration: none;
    }
    li a:hover {
      background: var(--surface-2);
    }
    .none {
      padding: 4px 0;
    }
    .alert {
      align-self: stretch;
      margin-top: 8px;
    }
    .row {
      display: flex;
      flex-wrap: wrap;
      justify-content: center;
      gap: 8px;
      margin-top: 12px;
    }
    .confirm {
      align-self: stretch;
      margin-top: 12px;
      padding: 12px;
      border-radius: var(--radius-sm);
      background: var(--danger-soft);
    }
    .confirm .row {
      margin-top: 8px;
    }
    .btn-primary {
      margin-top: 12px;
      text-decoration: none;
    }
    .row .btn-primary {
      margin-top: 0;
    }
    .btn.danger {
      color: var(--danger);
    }
  `,
})
export class ProfileCardComponent {
  private readonly auth = inject(AuthStore);
  private readonly conversations = inject(ConversationsStore);
  private readonly conversationsApi = inject(ConversationsApi);
  private readonly profiles = inject(ProfileApi);
  private readonly blocks = inject(BlocksStore);
  private readonly session = inject(ChatSession);
  private readonly page = inject(PageVisibility);
  private readonly router = inject(Router);
  private readonly dialog = viewChild.required<ElementRef<HTMLDialogElement>>('dialog');

  /** Left for another conversation (from "Message" or a shared group). */
  readonly navigated = output<void>();

  protected readonly userId = signal<string | null>(null);
  private readonly fetched = signal<UserView | null>(null);
  protected readonly busy = signal(false);
  protected readonly error = signal<string | null>(null);
  protected readonly confirmBlock = signal(false);

  protected readonly self = computed(() => this.userId() === this.auth.userId());
  /**
   * The store's copies follow presence and user:updated live; the fetched one (fresher at
   * opening, and the only one for someone met nowhere else) fills in what they lack.
   */
  protected readonly person = computed<UserView | null>(() => {
    const id = this.userId();
    if (!id) return null;
    const fetched = this.fetched()?.id === id ? this.fetched() : null;
    const live = this.self()
      ? this.auth.user()
      : this.conversations
          .conversations()
          .flatMap((conversation) => conversation.members)
          .find((member) => member.id === id);
    if (!live) return fetched;
    return { ...fetched, ...profileOf(live) } as UserView;
  });
  protected readonly name = computed(() => displayName(this.person()));
  protected readonly blocked = computed(() => {
    const id = this.userId();
    return id !== null && this.blocks.ids().has(id);
  });
  private readonly live = computed(
    () => this.page.browserOnline() && this.session.connection() === 'connected',
  );
  protected readonly online = computed(() => {
    const person = this.person();
    if (!person || this.self() || !this.live()) return null;
    return person.status === 'online';
  });
  protected readonly presence = computed(() => {
    const person = this.person();
    if (!person || this.self() || !this.live()) return '';
    this.page.now();
    return person.status === 'online' ? 'online' : lastSeenText(person.lastSeen);
  });
  protected readonly groups = computed(() => {
    const id = this.userId();
    const selfId = this.auth.userId();
    if (!id) return [];
    return sharedGroups(this.conversations.conversations(), id).map((conversation) => ({
      id: conversation.id,
      title: conversationTitle(conversation, selfId),
    }));
  });

  open(userId: string): void {
    this.userId.set(userId);
    this.fetched.set(null);
    this.error.set(null);
    this.confirmBlock.set(false);
    const dialog = this.dialog().nativeElement;
    if (!dialog.open) {
      if (typeof dialog.showModal === 'function') dialog.showModal();
      else dialog.setAttribute('open', '');
    }
    void this.refresh(userId);
  }

  close(): void {
    const dialog = this.dialog().nativeElement;
    if (typeof dialog.close === 'function') dialog.close();
    else dialog.removeAttribute('open');
  }

  /** Off to another conversation: nothing opened over the current one should stay. */
  protected leave(): void {
    this.close();
    this.navigated.emit();
  }

  protected onClosed(): void {
    this.userId.set(null);
    this.confirmBlock.set(false);
  }

  /** The direct conversation with them: the one in the list, else created (or found) by the server. */
  protected async message(user: UserView): Promise<void> {
    const known = this.conversations
      .conversations()
      .find(
        (conversation) =>
          conversation.type === 'direct' &&
          conversation.members.some((member) => member.id === user.id),
      );
    const id = known?.id ?? (await this.run(() => this.openDirect(user.id)));
    if (!id) return;
    this.leave();
    await this.router.navigate(['/c', id]);
  }

  protected async block(user: UserView): Promise<void> {
    const done = await this.run(async () => {
      await this.blocks.block(user);
      return true;
    });
    if (done) this.confirmBlock.set(false);
  }

  protected async unblock(user: UserView): Promise<void> {
    await this.run(async () => {
      await this.blocks.unblock(user.id);
      return true;
    });
  }

  private async openDirect(userId: string): Promise<string> {
    const conversation = await firstValueFrom(this.conversationsApi.openDirect(userId));
    this.conversations.upsert(conversation);
    return conversation.id;
  }

  private async refresh(userId: string): Promise<void> {
    try {
      const user = await firstValueFrom(this.profiles.user(userId));
      if (this.userId() === userId) this.fetched.set(user);
    } catch (err) {
      // A member's copy is still shown; with none there is nothing to show but why.
      if (this.userId() === userId && !this.person()) this.error.set(parseHttpError(err).message);
    }
  }

  private async run<T>(action: () => Promise<T>): Promise<T | null> {
    if (this.busy()) return null;
    this.busy.set(true);
    this.error.set(null);
    try {
      return await action();
    } catch (err) {
      this.error.set(parseHttpError(err).message);
      return null;
    } finally {
      this.busy.set(false);
    }
  }
}
