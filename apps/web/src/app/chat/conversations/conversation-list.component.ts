import {
  ChangeDetectionStrategy,
  Component,
  DestroyRef,
  computed,
  inject,
  signal,
  viewChild,
} from '@angular/core';
import { Router, RouterLink } from '@angular/router';
import type { UserView } from '@chat/shared-dto';
import { firstValueFrom } from 'rxjs';
import { AuthStore } from '../../core/auth/auth.store';
import { parseHttpError } from '../../core/http/http-error';
import { ThemeService } from '../../core/theme/theme.service';
import { IconComponent } from '../../shared/icon.component';
import { ChatSession } from '../chat-session.service';
import { TypingStore } from '../messages/typing.store';
import { AvatarComponent } from '../shared/avatar.component';
import {
  conversationAvatar,
  conversationTitle,
  displayName,
  otherMember,
  shortTime,
} from '../shared/format';
import { PageVisibility } from '../shared/page-visibility.service';
import { ConversationsApi } from './conversations.api';
import { ConversationsStore } from './conversations.store';
import { NewGroupDialogComponent } from './new-group-dialog.component';
import { isMuted } from '../../notifications/mute';

export interface ConversationRow {
  id: string;
  title: string;
  preview: string;
  previewIsTyping: boolean;
  previewIsImage: boolean;
  time: string;
  unread: number;
  /** Unread messages that mention the viewer: an "@" badge. */
  mentions: number;
  previewIsDeleted: boolean;
  online: boolean | null;
  group: boolean;
  avatarId: string;
  avatarUrl: string | null;
  active: boolean;
  muted: boolean;
}

@Component({
  selector: 'chat-conversation-list',
  imports: [RouterLink, IconComponent, AvatarComponent, NewGroupDialogComponent],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './conversation-list.component.html',
  styleUrl: './conversation-list.component.css',
  host: { '(keydown)': 'onListKey($event)' },
})
export class ConversationListComponent {
  private readonly store = inject(ConversationsStore);
  private readonly typing = inject(TypingStore);
  private readonly api = inject(ConversationsApi);
  private readonly session = inject(ChatSession);
  private readonly router = inject(Router);
  private readonly page = inject(PageVisibility);
  protected readonly auth = inject(AuthStore);
  protected readonly theme = inject(ThemeService);

  private readonly groupDialog = viewChild.required(NewGroupDialogComponent);
  protected readonly query = signal('');
  protected readonly people = signal<readonly UserView[]>([]);
  protected readonly searching = signal(false);
  protected readonly searchError = signal<string | null>(null);
  protected readonly opening = signal<string | null>(null);
  protected readonly loaded = this.store.loaded;
  protected readonly loadError = this.store.error;
  private searchTimer: ReturnType<typeof setTimeout> | null = null;
  private searchSeq = 0;

  protected readonly me = computed(() => this.auth.user());
  protected readonly meName = computed(() => displayName(this.me()));

  protected readonly rows = computed<ConversationRow[]>(() => {
    const selfId = this.auth.userId();
    const now = this.page.now();
    const active = this.store.activeId();
    const typing = this.typing.all();
    // Others' presence is stale while this client is not connected: draw no dots then.
    const live = this.page.browserOnline() && this.session.connection() === 'connected';
    return this.store.conversations().map((conversation) => {
      const other = conversation.type === 'direct' ? otherMember(conversation, selfId) : null;
      const typers = (typing[conversation.id] ?? []).filter((id) => id !== selfId);
      const last = conversation.lastMessage;
      let preview = 'No messages yet';
      if (last) {
        const body = last.deletedAt
          ? 'This message was deleted'
          : last.type === 'image'
            ? 'Photo'
            : last.content;
        const sender = conversation.members.find((member) => member.id === last.senderId);
        const prefix =
          last.senderId === selfId
            ? 'You: '
            : conversation.type === 'group' && sender
              ? `${displayName(sender)}: `
              : '';
        preview = prefix + body;
      }
      if (typers.length) {
        const names = typers.map((id) =>
          displayName(conversation.members.find((member) => member.id === id)),
        );
        preview = conversation.type === 'group' ? `${names[0]} is typing…` : 'typing…';
      }
      return {
        id: conversation.id,
        title: conversationTitle(conversation, selfId),
        preview,
        previewIsTyping: typers.length > 0,
        previewIsImage: !typers.length && last?.type === 'image' && !last.deletedAt,
        previewIsDeleted: !typers.length && Boolean(last?.deletedAt),
        time: shortTime(
          last?.createdAt ?? conversation.lastActivityAt ?? conversation.createdAt,
          now,
        ),
        unread: conversation.unreadCount,
        mentions: conversation.unreadMentions ?? 0,
        online: live && other && other.id !== selfId ? other.status === 'online' : null,
        group: conversation.type === 'group',
        avatarId: conversationAvatar(conversation, selfId).id,
        avatarUrl: other?.avatarUrl ?? null,
        muted: isMuted(conversation, now),
        active: conversation.id === active,
      };
    });
  });

  protected readonly filteredRows = computed(() => {
    const query = this.query().trim().toLowerCase();
    if (!query) return this.rows();
    return this.rows().filter((row) => row.title.toLowerCase().includes(query));
  });

  constructor() {
    inject(DestroyRef).onDestroy(() => this.searchTimer && clearTimeout(this.searchTimer));
  }

  protected onQuery(event: Event): void {
    const value = (event.target as HTMLInputElement).value;
    this.query.set(value);
    if (this.searchTimer) clearTimeout(this.searchTimer);
    const query = value.trim();
    const seq = ++this.searchSeq;
    if (!query) {
      this.people.set([]);
      this.searching.set(false);
      this.searchError.set(null);
      return;
    }
    this.searching.set(true);
    this.searchTimer = setTimeout(() => void this.search(query, seq), 250);
  }

  protected clearSearch(input?: HTMLInputElement): void {
    this.query.set('');
    this.people.set([]);
    this.searching.set(false);
    this.searchError.set(null);
    this.searchSeq++;
    if (input) {
      input.value = '';
      input.focus();
    }
  }

  protected onSearchKey(event: KeyboardEvent, input: HTMLInputElement): void {
    if (event.key === 'Escape' && this.query()) {
      event.preventDefault();
      this.clearSearch(input);
    } else if (event.key === 'ArrowDown') {
      event.preventDefault();
      this.focusItem(input.closest('.sidebar-root'), 0);
    }
  }

  /** Up/down arrows move between conversations and search results. */
  protected onListKey(event: KeyboardEvent): void {
    if (event.key !== 'ArrowDown' && event.key !== 'ArrowUp') return;
    const target = event.target as HTMLElement;
    if (!target.hasAttribute?.('data-nav-item')) return;
    const root = target.closest('.sidebar-root');
    const items = this.items(root);
    const index = items.indexOf(event.target as HTMLElement);
    if (index < 0) return;
    event.preventDefault();
    this.focusItem(root, index + (event.key === 'ArrowDown' ? 1 : -1));
  }

  protected async openDirect(user: UserView): Promise<void> {
    if (this.opening()) return;
    this.opening.set(user.id);
    try {
      const conversation = await firstValueFrom(this.api.openDirect(user.id));
      this.store.upsert(conversation);
      this.clearSearch();
      await this.router.navigate(['/c', conversation.id]);
    } catch (err) {
      this.searchError.set(parseHttpError(err).message);
    } finally {
      this.opening.set(null);
    }
  }

  protected openGroupDialog(): void {
    this.groupDialog().open();
  }

  protected retryLoad(): void {
    void this.session.loadConversations();
  }

  protected logout(): void {
    void this.auth.logout();
  }

  protected userName(user: UserView): string {
    return displayName(user);
  }

  private async search(query: string, seq: number): Promise<void> {
    try {
      const users = await firstValueFrom(this.api.searchUsers(query, 20));
      if (seq !== this.searchSeq) return;
      this.people.set(users.filter((user) => user.id !== this.auth.userId()));
      this.searchError.set(null);
    } catch (err) {
      if (seq !== this.searchSeq) return;
      this.people.set([]);
      this.searchError.set(parseHttpError(err).message);
    } finally {
      if (seq === this.searchSeq) this.searching.set(false);
    }
  }

  private items(root: Element | null): HTMLElement[] {
    return root ? [...root.querySelectorAll<HTMLElement>('[data-nav-item]')] : [];
  }

  private focusItem(root: Element | null, index: number): void {
    const items = this.items(root);
    if (!items.length) return;
    items[Math.max(0, Math.min(items.length - 1, index))].focus();
  }
}
