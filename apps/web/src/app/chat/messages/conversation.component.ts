import type { ElementRef } from '@angular/core';
import {
  ChangeDetectionStrategy,
  Component,
  DestroyRef,
  afterRenderEffect,
  computed,
  effect,
  inject,
  input,
  signal,
  untracked,
  viewChild,
} from '@angular/core';
import { ActivatedRoute, Router, RouterLink } from '@angular/router';
import { AuthStore } from '../../core/auth/auth.store';
import { IconComponent, type IconName } from '../../shared/icon.component';
import type { CallMedia } from '@chat/shared-dto';
import { CallService } from '../calls/call.service';
import { ChatSession } from '../chat-session.service';
import { ConversationsStore } from '../conversations/conversations.store';
import { DecryptedStore } from '../e2e/decrypted.store';
import { AvatarComponent } from '../shared/avatar.component';
import { ConversationInfoComponent } from '../info/conversation-info.component';
import {
  conversationAvatar,
  conversationTitle,
  displayName,
  groupPresence,
  lastSeenText,
  otherMember,
  typingText,
} from '../shared/format';
import { PageVisibility } from '../shared/page-visibility.service';
import { collapsedMessages } from '../profile/blocked-messages';
import { BlocksStore } from '../profile/blocks.store';
import { ProfileCardComponent } from '../profile/profile-card.component';
import { parseHttpError } from '../../core/http/http-error';
import { ComposerComponent } from './composer.component';
import { ImageViewerComponent } from './image-viewer.component';
import { MessageActions } from './message-actions.service';
import { MessageBubbleComponent } from './message-bubble.component';
import { MessageInfoDialogComponent } from './message-info-dialog.component';
import { MessagesStore } from './messages.store';
import { OutboxService } from './outbox.service';
import type { DisplayMessage, DisplayReply, TimelineItem } from './timeline';
import { buildTimeline } from './timeline';
import { TypingStore } from './typing.store';
import { UploadsStore } from './uploads.store';
import { MuteMenuComponent } from '../../notifications/mute-menu.component';
import { KeyChangeWarningComponent } from '../verification/key-change-warning.component';
import { LockIconComponent } from '../verification/lock-icon.component';
import { SystemMessageComponent, systemText } from './system-message.component';

const BOTTOM_SLACK_PX = 80;

/** The key of the oldest message shown (day separators may stay the same when a page is prepended). */
function firstMessageKey(items: readonly TimelineItem[]): string | undefined {
  return items.find((item) => item.kind === 'message')?.key;
}
const LOAD_OLDER_AT_PX = 240;

@Component({
  selector: 'chat-conversation',
  imports: [
    RouterLink,
    IconComponent,
    AvatarComponent,
    MessageBubbleComponent,
    ComposerComponent,
    ImageViewerComponent,
    ConversationInfoComponent,
    MessageInfoDialogComponent,
    MuteMenuComponent,
    ProfileCardComponent,
    LockIconComponent,
    KeyChangeWarningComponent,
    SystemMessageComponent,
  ],
  providers: [MessageActions],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './conversation.component.html',
  styleUrl: './conversation.component.css',
  host: {
    '(dragenter)': 'onDrag($event)',
    '(dragover)': 'onDrag($event)',
    '(dragleave)': 'onDragLeave($event)',
    '(drop)': 'onDrop($event)',
  },
})
export class ConversationComponent {
  /** From the route (`c/:conversationId`). */
  readonly conversationId = input.required<string>();
  /** From the query (`?at=<seq>`): open at this message and highlight it (a search result). */
  readonly at = input<string>();

  private readonly auth = inject(AuthStore);
  private readonly conversations = inject(ConversationsStore);
  private readonly messages = inject(MessagesStore);
  private readonly outbox = inject(OutboxService);
  private readonly uploads = inject(UploadsStore);
  private readonly typing = inject(TypingStore);
  private readonly session = inject(ChatSession);
  private readonly page = inject(PageVisibility);
  protected readonly actions = inject(MessageActions);
  private readonly router = inject(Router);
  private readonly route = inject(ActivatedRoute);

  private readonly scroller = viewChild<ElementRef<HTMLElement>>('scroller');
  private readonly composer = viewChild(ComposerComponent);
  private readonly viewer = viewChild.required(ImageViewerComponent);
  private readonly infoPanel = viewChild(ConversationInfoComponent);
  private readonly messageInfo = viewChild(MessageInfoDialogComponent);
  private readonly profileCard = viewChild.required(ProfileCardComponent);
  private readonly blocks = inject(BlocksStore);
  private readonly decrypted = inject(DecryptedStore);

  protected readonly dragging = signal(false);
  protected readonly atBottom = signal(true);
  protected readonly newBelow = signal(0);
  /** What the polite live region reads out: the newest message from someone else. */
  protected readonly announcement = signal('');
  /** The original of a reply just jumped to. */
  protected readonly highlightId = signal<string | null>(null);
  private highlightTimer: ReturnType<typeof setTimeout> | null = null;

  protected readonly conversation = computed(() => {
    const id = this.conversationId();
    return this.conversations.conversations().find((c) => c.id === id) ?? null;
  });
  protected readonly notFound = computed(() => this.conversations.loaded() && !this.conversation());
  protected readonly thread = computed(() => this.messages.thread(this.conversationId())());
  /** The thread with the plaintext of an encrypted conversation in place of its ciphertext. */
  protected readonly plain = computed(() => {
    const messages = this.thread().messages;
    return this.conversation()?.encrypted ? this.decrypted.reveal(messages) : messages;
  });
  /** Some messages were sent before this device had keys: they can never be read here. */
  protected readonly unreadableHere = computed(
    () =>
      !!this.conversation()?.encrypted &&
      this.plain().some((m) => 'e2e' in m && m.e2e === 'no-key'),
  );
  protected readonly selfId = this.auth.userId;
  protected readonly isGroup = computed(() => this.conversation()?.type === 'group');
  protected readonly encrypted = computed(() => this.conversation()?.encrypted ?? false);
  /** What the server's `system` messages record, by id (the timeline keeps only their text). */
  protected readonly systemEvents = computed(
    () =>
      new Map(
        this.thread()
          .messages.filter((message) => message.type === 'system')
          .map((message) => [message.id, message.system ?? null]),
      ),
  );
  protected readonly title = computed(() => {
    const conversation = this.conversation();
    return conversation ? conversationTitle(conversation, this.selfId()) : '';
  });
  protected readonly avatar = computed(() => {
    const conversation = this.conversation();
    return conversation
      ? conversationAvatar(conversation, this.selfId())
      : { id: this.conversationId(), url: null, group: false };
  });
  /** Whether others' presence can be trusted: it is stale while this client is not connected. */
  protected readonly liveness = computed(() => {
    if (!this.page.browserOnline()) return 'offline' as const;
    return this.session.connection() === 'connected' ? ('live' as const) : ('connecting' as const);
  });
  protected readonly calls = inject(CallService);
  /**
   * Calls are 1:1: a direct conversation with someone else (not the notes-to-self one), and not
   * someone I blocked (the server refuses that call too).
   */
  protected readonly callable = computed(() => {
    const other = this.other();
    return !!other && other.id !== this.selfId() && !this.blockedOther();
  });
  protected readonly other = computed(() => {
    const conversation = this.conversation();
    return conversation?.type === 'direct' ? otherMember(conversation, this.selfId()) : null;
  });

  protected readonly callButtons: readonly {
    media: CallMedia;
    label: string;
    icon: IconName;
    testId: string;
  }[] = [
    { media: 'audio', label: 'Voice call', icon: 'phone', testId: 'voice' },
    { media: 'video', label: 'Video call', icon: 'video', testId: 'video' },
  ];

  protected call(media: CallMedia): void {
    const conversation = this.conversation();
    if (conversation) void this.calls.start(conversation.id, media);
  }

  protected readonly typingLine = computed(() => {
    const conversation = this.conversation();
    if (!conversation) return '';
    const ids = (this.typing.all()[conversation.id] ?? []).filter((id) => id !== this.selfId());
    const names = ids.map((id) =>
      displayName(conversation.members.find((member) => member.id === id)),
    );
    return typingText(names);
  });
  protected readonly presenceLine = computed(() => {
    const conversation = this.conversation();
    if (!conversation) return '';
    this.page.now();
    const live = this.liveness();
    if (conversation.type === 'group') return groupPresence(conversation, this.selfId(), live);
    const other = this.other();
    if (!other || other.id === this.selfId()) return 'Notes to yourself';
    if (live === 'offline') return 'waiting for network';
    if (live === 'connecting') return 'connecting…';
    return other.status === 'online' ? 'online' : lastSeenText(other.lastSeen);
  });
  protected readonly online = computed(() => {
    const other = this.other();
    if (this.liveness() !== 'live') return null;
    return other && other.id !== this.selfId() ? other.status === 'online' : null;
  });
  /** Queued sends cannot go out while the connection keeps failing: say why on each. */
  private readonly stalled = computed(() =>
    this.session.connection() === 'unreachable' && this.page.browserOnline()
      ? `Not sent yet: cannot connect (${this.session.connectionFailure() ?? 'no answer'})`
      : null,
  );
  /** Where the reader had read up to when this conversation was opened (frozen while it is open). */
  private readonly unreadMarker = signal<{ afterSeq: number; count: number } | null>(null);
  private markerFor: string | null = null;

  protected readonly timeline = computed(() => {
    const id = this.conversationId();
    const conversation = this.conversation();
    return buildTimeline({
      messages: this.plain(),
      outbox: this.outbox.entries().filter((entry) => entry.conversationId === id),
      uploads: this.uploads.uploads().filter((upload) => upload.conversationId === id),
      members: conversation?.members ?? [],
      memberCount: conversation?.memberCount,
      selfId: this.selfId(),
      group: conversation?.type === 'group',
      preview: (clientId) => this.uploads.preview(clientId),
      now: this.page.now(),
      unread: this.unreadMarker(),
      stalled: this.stalled(),
    });
  });

  /** Messages from blocked people the reader chose to see anyway, by timeline key. */
  private readonly revealed = signal<ReadonlySet<string>>(new Set());
  protected readonly collapsed = computed(() =>
    collapsedMessages(this.timeline(), this.isGroup(), this.blocks.ids(), this.revealed()),
  );
  /** The other person of a direct conversation, when I blocked them: no composer then. */
  protected readonly blockedOther = computed(() => {
    const other = this.other();
    return other && other.id !== this.selfId() && this.blocks.ids().has(other.id) ? other : null;
  });
  protected readonly unblocking = signal(false);
  protected readonly unblockError = signal<string | null>(null);

  /** Scroll bookkeeping lives outside signals: it is read and written during rendering. */
  private stick = true;
  private anchor: { height: number; top: number; firstKey: string | undefined } | null = null;
  private lastKey: string | undefined;
  private renderedFor: string | null = null;
  /** The newest seq already on screen (or announced), per open conversation. */
  private announced: { id: string; seq: number } | null = null;
  /** Opened with unread messages: land at the divider once, instead of at the bottom. */
  private landing = false;

  constructor() {
    effect(() => {
      const id = this.conversationId();
      untracked(() => {
        this.conversations.setActive(id);
        this.stick = true;
        this.anchor = null;
        this.lastKey = undefined;
        this.newBelow.set(0);
        this.atBottom.set(true);
        this.markerFor = null;
        this.landing = false;
        this.unreadMarker.set(null);
        this.decideUnread(id);
        // Opening at a message (the effect below) loads its page instead of the newest one.
        if (parseSeq(this.at()) === null)
          void this.messages.open(id, this.unreadMarker()?.count ?? 0);
        // On a wide screen, typing can start right away (a phone would pop its keyboard).
        if (globalThis.matchMedia?.('(min-width: 720px) and (pointer: fine)').matches) {
          queueMicrotask(() => this.composer()?.focus());
        }
      });
    });

    effect(() => {
      const seq = parseSeq(this.at());
      const id = this.conversationId();
      if (seq !== null) untracked(() => void this.openAt(id, seq));
    });

    // Announce messages that arrive while the conversation is open; what was there on opening
    // (and older pages loaded later) is history, not news.
    // Every message of an encrypted conversation that is held gets decrypted (history pages,
    // catch-ups and replays too, not only live ones).
    effect(() => {
      const messages = this.thread().messages;
      if (this.conversation()?.encrypted) untracked(() => this.decrypted.ensure(messages));
    });

    effect(() => {
      const id = this.conversationId();
      const thread = this.thread();
      if (thread.status !== 'ready') return;
      const plain = this.plain();
      const newest = plain[plain.length - 1];
      const seq = newest?.seq ?? 0;
      untracked(() => {
        if (this.announced?.id !== id) {
          this.announced = { id, seq };
          this.announcement.set('');
          return;
        }
        if (!newest || seq <= this.announced.seq) return;
        this.announced = { id, seq };
        if (newest.senderId === this.selfId()) return;
        if (this.isGroup() && this.blocks.isBlocked(newest.senderId)) {
          this.announcement.set('Message from a blocked user');
          return;
        }
        const members = this.conversation()?.members ?? [];
        if (newest.type === 'system') {
          const line = { senderId: newest.senderId, own: false, text: newest.content };
          this.announcement.set(systemText(line, newest.system, members));
          return;
        }
        const sender = displayName(members.find((member) => member.id === newest.senderId));
        this.announcement.set(
          `${sender}: ${newest.type === 'image' ? 'sent an image' : newest.content || 'sent a message'}`,
        );
      });
    });

    // The list may arrive after the route (a reload on /c/:id): decide the divider then.
    effect(() => {
      const id = this.conversationId();
      if (this.conversation() && this.markerFor !== id) untracked(() => this.decideUnread(id));
    });

    // Mark read while the conversation is on screen, the tab visible and the newest message in view.
    effect(() => {
      const id = this.conversationId();
      const thread = this.thread();
      const newest = thread.messages[thread.messages.length - 1]?.seq;
      const unread = this.conversation()?.unreadCount;
      const ready = thread.status === 'ready';
      const visible = this.page.visible();
      const bottom = this.atBottom();
      const connected = this.session.connection() === 'connected';
      if (ready && visible && bottom && connected && (newest !== undefined || unread)) {
        untracked(() => this.session.markRead(id));
      }
    });

    afterRenderEffect({
      write: () => {
        const items = this.timeline();
        const thread = this.thread();
        const id = this.conversationId();
        const element = this.scroller()?.nativeElement;
        if (!element) return;
        const firstKey = firstMessageKey(items);
        const lastKey = items[items.length - 1]?.key;
        if (this.renderedFor !== id) {
          this.renderedFor = id;
          this.lastKey = undefined;
        }
        const last = items[items.length - 1];
        const appended = lastKey !== this.lastKey;
        if (this.landing && thread.status === 'ready' && items.length) {
          this.landing = false;
          const divider = element.querySelector<HTMLElement>('[data-testid="unread-divider"]');
          if (divider) {
            const offset =
              divider.getBoundingClientRect().top - element.getBoundingClientRect().top;
            element.scrollTop = Math.max(0, element.scrollTop + offset - 12);
            this.stick = false;
            this.lastKey = lastKey;
            untracked(() => this.onScroll());
            return;
          }
          this.stick = true;
        }
        if (this.anchor && firstKey !== this.anchor.firstKey) {
          // An older page was prepended: keep the same message under the reader's eyes.
          element.scrollTop = element.scrollHeight - this.anchor.height + this.anchor.top;
          this.anchor = null;
        } else if (this.anchor && !thread.loadingOlder) {
          this.anchor = null;
        } else if (this.stick || (appended && last?.kind === 'message' && last.message.own)) {
          element.scrollTop = element.scrollHeight;
          this.stick = true;
          if (!this.atBottom()) this.atBottom.set(true);
        } else if (appended && this.lastKey !== undefined && last?.kind === 'message') {
          untracked(() => this.newBelow.update((count) => count + 1));
        }
        this.lastKey = lastKey;
        // A first page shorter than the viewport cannot be scrolled: fetch more right away.
        if (
          thread.status === 'ready' &&
          thread.hasOlder &&
          !thread.loadingOlder &&
          element.scrollHeight <= element.clientHeight
        ) {
          this.loadOlder(element);
        }
      },
    });

    inject(DestroyRef).onDestroy(() => {
      if (this.highlightTimer) clearTimeout(this.highlightTimer);
      if (this.conversations.activeId() === untracked(this.conversationId))
        this.conversations.setActive(null);
    });
  }

  protected openInfo(): void {
    this.infoPanel()?.open();
  }

  protected closeInfo(): void {
    this.infoPanel()?.close();
  }

  protected openProfile(userId: string): void {
    this.profileCard().open(userId);
  }

  protected openAvatar(): void {
    const other = this.other();
    if (other) this.openProfile(other.id);
    else this.openInfo();
  }

  protected reveal(key: string): void {
    this.revealed.update((keys) => new Set(keys).add(key));
  }

  protected async unblockOther(userId: string): Promise<void> {
    this.unblocking.set(true);
    this.unblockError.set(null);
    try {
      await this.blocks.unblock(userId);
    } catch (err) {
      this.unblockError.set(parseHttpError(err).message);
    } finally {
      this.unblocking.set(false);
    }
  }

  protected showMessageInfo(message: DisplayMessage): void {
    const conversation = this.conversation();
    if (!message.id || !conversation) return;
    void this.messageInfo()?.open(
      conversation.id,
      message.id,
      message.senderId,
      conversation.members,
    );
  }

  /**
   * Freezes the unread divider for this visit: what was read before opening. With unread
   * messages, the view lands at the divider and waits (not at the bottom, not marked read).
   */
  private decideUnread(id: string): void {
    const conversation = this.conversations.get(id);
    if (!conversation || this.markerFor === id) return;
    this.markerFor = id;
    const count = conversation.unreadCount;
    if (count <= 0) return;
    const { read } = this.conversations.ownWatermarks(id, this.selfId());
    this.unreadMarker.set({ afterSeq: read, count });
    this.landing = true;
    this.stick = false;
    this.atBottom.set(false);
  }

  protected onScroll(): void {
    const element = this.scroller()?.nativeElement;
    if (!element) return;
    const distance = element.scrollHeight - element.scrollTop - element.clientHeight;
    this.stick = distance < BOTTOM_SLACK_PX;
    if (this.atBottom() !== this.stick) this.atBottom.set(this.stick);
    if (this.stick && this.newBelow()) this.newBelow.set(0);
    if (element.scrollTop < LOAD_OLDER_AT_PX) this.loadOlder(element);
  }

  protected jumpToBottom(): void {
    const element = this.scroller()?.nativeElement;
    if (!element) return;
    element.scrollTo({ top: element.scrollHeight, behavior: 'smooth' });
    this.stick = true;
    this.newBelow.set(0);
  }

  protected onImageLoaded(): void {
    const element = this.scroller()?.nativeElement;
    if (element && this.stick) element.scrollTop = element.scrollHeight;
  }

  protected onScrollerKey(event: KeyboardEvent): void {
    if (event.key === 'End' && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      this.jumpToBottom();
    }
  }

  protected openImage(url: string): void {
    this.viewer().open(url);
  }

  protected retry(message: DisplayMessage): void {
    if (message.status !== 'failed') return;
    if (this.outbox.entries().some((entry) => entry.clientId === message.clientId))
      this.outbox.retry(message.clientId);
    else this.session.retryUpload(message.clientId);
  }

  protected discard(message: DisplayMessage): void {
    this.outbox.discard(message.clientId);
    this.uploads.cancel(message.clientId);
  }

  protected startReply(message: DisplayMessage): void {
    const sender = this.conversation()?.members.find((member) => member.id === message.senderId);
    this.composer()?.startReply(message, message.own ? 'yourself' : displayName(sender));
    this.keepBottomAfterResize();
  }

  protected startEdit(message: DisplayMessage): void {
    this.composer()?.startEdit(message);
    this.keepBottomAfterResize();
  }

  /** The reply or edit banner makes the list shorter: a reader at the bottom stays there. */
  private keepBottomAfterResize(): void {
    if (!this.stick) return;
    requestAnimationFrame(() => {
      const element = this.scroller()?.nativeElement;
      if (element && this.stick) element.scrollTop = element.scrollHeight;
    });
  }

  /** Up arrow in an empty composer: the newest of the user's own messages that can be edited. */
  protected editLast(): void {
    const items = this.timeline();
    for (let i = items.length - 1; i >= 0; i--) {
      const item = items[i];
      if (item.kind === 'message' && item.message.lifecycle.canEdit) {
        this.startEdit(item.message);
        return;
      }
    }
  }

  protected deleteMessage(message: DisplayMessage): void {
    if (message.id)
      void this.actions.delete({ conversationId: this.conversationId(), id: message.id });
  }

  protected react(message: DisplayMessage, emoji: string): void {
    if (!message.id) return;
    void this.actions.toggleReaction(
      {
        conversationId: this.conversationId(),
        id: message.id,
        reactions: message.lifecycle.reactions,
      },
      emoji,
      this.selfId(),
    );
  }

  /** Scrolls to the original of a reply (loading older pages until it is there) and marks it. */
  protected async showOriginal(reply: DisplayReply): Promise<void> {
    const id = this.conversationId();
    const found = await this.messages.reveal(id, reply.seq);
    if (!found || id !== this.conversationId()) return;
    await this.highlight(reply.id);
  }

  /** A search result: the page around the message (unless held), scrolled to and marked. */
  private async openAt(id: string, seq: number): Promise<void> {
    // The reader asked for this message: neither the unread divider nor the bottom.
    this.landing = false;
    this.stick = false;
    this.atBottom.set(false);
    const found = await this.messages.openAt(id, seq);
    if (id !== this.conversationId()) return;
    const message = found
      ? this.messages
          .thread(id)()
          .messages.find((m) => m.seq === seq)
      : null;
    if (message) {
      await this.highlight(message.id);
      // What the catch-up added below it is history the reader jumped over, not news.
      this.newBelow.set(0);
    } else this.stick = true;
    // Drop `?at=` so the same result can be opened again and a reload lands at the bottom.
    void this.router.navigate([], {
      relativeTo: this.route,
      queryParams: { at: null },
      queryParamsHandling: 'merge',
      replaceUrl: true,
    });
  }

  private async highlight(messageId: string): Promise<void> {
    // Let newly loaded pages render before looking for the element.
    await new Promise((resolve) => requestAnimationFrame(resolve));
    const element = this.scroller()?.nativeElement.querySelector<HTMLElement>(
      `[data-message-id="${CSS.escape(messageId)}"]`,
    );
    if (!element) return;
    this.stick = false;
    element.scrollIntoView({ block: 'center' });
    this.highlightId.set(messageId);
    if (this.highlightTimer) clearTimeout(this.highlightTimer);
    this.highlightTimer = setTimeout(() => this.highlightId.set(null), 2000);
  }

  protected retryLoad(): void {
    void this.messages.open(this.conversationId());
  }

  protected onDrag(event: DragEvent): void {
    if (!event.dataTransfer?.types.includes('Files')) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = 'copy';
    if (!this.dragging()) this.dragging.set(true);
  }

  protected onDragLeave(event: DragEvent): void {
    const related = event.relatedTarget as Node | null;
    if (!related || !(event.currentTarget as HTMLElement).contains(related))
      this.dragging.set(false);
  }

  protected onDrop(event: DragEvent): void {
    if (!event.dataTransfer?.files.length) return;
    event.preventDefault();
    this.dragging.set(false);
    this.composer()?.addFiles(event.dataTransfer.files);
  }

  private loadOlder(element: HTMLElement): void {
    const thread = this.thread();
    if (thread.status !== 'ready' || !thread.hasOlder || thread.loadingOlder || this.anchor) return;
    this.anchor = {
      height: element.scrollHeight,
      top: element.scrollTop,
      firstKey: firstMessageKey(this.timeline()),
    };
    void this.messages.loadOlder(this.conversationId());
  }
}

function parseSeq(raw: string | undefined): number | null {
  const seq = raw === undefined ? NaN : Number(raw);
  return Number.isSafeInteger(seq) && seq >= 1 ? seq : null;
}
