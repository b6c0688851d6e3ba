import {
  ChangeDetectionStrategy,
  Component,
  DestroyRef,
  computed,
  effect,
  inject,
  signal,
} from '@angular/core';
import { toSignal } from '@angular/core/rxjs-interop';
import { NavigationEnd, Router, RouterOutlet } from '@angular/router';
import { filter, map } from 'rxjs';
import { AuthStore } from '../core/auth/auth.store';
import { InAppNotifier } from '../notifications/in-app-notifier.service';
import { unreadNotMuted } from '../notifications/mute';
import { PushSubscriptionService } from '../notifications/push-subscription.service';
import { ToastStackComponent } from '../notifications/toast-stack.component';
import { UnreadBadgeService } from '../notifications/unread-badge.service';
import { CallOverlayComponent } from './calls/call-overlay.component';
import { CallService } from './calls/call.service';
import { ChatSession } from './chat-session.service';
import { ConversationListComponent } from './conversations/conversation-list.component';
import { ConversationsStore } from './conversations/conversations.store';
import { MessagesStore } from './messages/messages.store';
import { OutboxService } from './messages/outbox.service';
import { TypingStore } from './messages/typing.store';
import { UploadsStore } from './messages/uploads.store';
import { OfflineSnapshotService } from './offline/offline-snapshot.service';
import { RealtimeService } from './realtime/realtime.service';
import { PageVisibility } from './shared/page-visibility.service';

/**
 * The logged-in app: conversation list beside the open conversation (one screen at a time on a
 * phone). Owns one session's state: everything below is provided here and dies with it.
 */
@Component({
  selector: 'chat-shell',
  imports: [RouterOutlet, ConversationListComponent, ToastStackComponent, CallOverlayComponent],
  providers: [
    RealtimeService,
    ConversationsStore,
    MessagesStore,
    OutboxService,
    OfflineSnapshotService,
    TypingStore,
    UploadsStore,
    ChatSession,
    InAppNotifier,
    CallService,
  ],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    @if (banner(); as text) {
      <div
        class="banner"
        role="status"
        aria-live="polite"
        data-testid="connection-banner"
        [class.error]="unreachable()"
        [attr.data-state]="realtime.status()"
      >
        <span class="spinner" aria-hidden="true"></span>{{ text }}
      </div>
    }
    <!-- Under a call the chat is covered: hidden too, so it is neither read out nor focusable. -->
    <div
      class="shell"
      [class.has-active]="hasActive()"
      [style.visibility]="calls.call() ? 'hidden' : null"
    >
      <aside class="sidebar" aria-label="Conversations">
        <chat-conversation-list />
      </aside>
      <main class="main">
        <router-outlet />
      </main>
    </div>
    <chat-toast-stack />
    <chat-call-overlay />
  `,
  styleUrl: './chat-shell.component.css',
})
export class ChatShellComponent {
  private readonly auth = inject(AuthStore);
  private readonly session = inject(ChatSession);
  protected readonly realtime = inject(RealtimeService);
  private readonly conversations = inject(ConversationsStore);
  private readonly page = inject(PageVisibility);
  private readonly badge = inject(UnreadBadgeService);
  private readonly slow = signal(false);
  private readonly snapshot = inject(OfflineSnapshotService);
  protected readonly calls = inject(CallService);

  protected readonly unreachable = computed(
    () => this.page.browserOnline() && this.realtime.status() === 'unreachable',
  );
  private readonly router = inject(Router);
  private readonly url = toSignal(
    this.router.events.pipe(
      filter((event) => event instanceof NavigationEnd),
      map((event) => event.urlAfterRedirects),
    ),
    { initialValue: this.router.url },
  );
  /** On a phone one pane shows: the list, or what was opened from it (a conversation, settings). */
  protected readonly hasActive = computed(
    () => this.conversations.activeId() !== null || this.url().startsWith('/settings'),
  );
  protected readonly banner = computed(() => {
    const status = this.realtime.status();
    const restoredAt = this.snapshot.restoredAt();
    if (restoredAt && status !== 'connected')
      return `You're offline: showing what this device saved ${savedWhen(restoredAt)}. Messages will be sent when you're back.`;
    if (!this.page.browserOnline())
      return "You're offline. Messages will be sent when you're back.";
    if (status === 'unreachable')
      return `Cannot connect: ${this.realtime.failure() ?? 'the server cannot be reached'}. Still trying…`;
    if (status === 'reconnecting') return 'Reconnecting…';
    if (status === 'connecting' && this.slow()) return 'Connecting…';
    return null;
  });

  constructor() {
    this.session.start();
    // After the socket exists: the call listens on it.
    this.calls.listen();
    inject(InAppNotifier);
    void inject(PushSubscriptionService).sync();
    const timer = setTimeout(() => this.slow.set(true), 2000);
    const off = this.auth.onLogout((explicit) => this.session.stop(explicit));
    // Pick up a renamed profile etc.; a revoked token ends the session here.
    this.auth.refreshUser().catch(() => undefined);
    // Title and favicon badge; muted conversations are not counted.
    effect(() =>
      this.badge.show(unreadNotMuted(this.conversations.conversations(), this.page.now())),
    );
    inject(DestroyRef).onDestroy(() => {
      clearTimeout(timer);
      off();
      this.session.stop();
      this.badge.show(0);
    });
  }
}

/** "at 14:05", or "on 3 Dec at 14:05" for an older snapshot. */
function savedWhen(iso: string, now = new Date()): string {
  const at = new Date(iso);
  const time = at.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
  if (at.toDateString() === now.toDateString()) return `at ${time}`;
  return `on ${at.toLocaleDateString([], { day: 'numeric', month: 'short' })} at ${time}`;
}
