import { callLabel } from '../calls/call-format';
import { attachmentWord } from '../shared/attachment-word';
import {
  ChangeDetectionStrategy,
  Component,
  computed,
  inject,
  signal,
  viewChild,
} from '@angular/core';
import type { ElementRef } from '@angular/core';
import { Router, RouterLink } from '@angular/router';
import type { UserView } from '@chat/shared-dto';
import { firstValueFrom } from 'rxjs';
import { AuthStore } from '../../core/auth/auth.store';
import { parseHttpError } from '../../core/http/http-error';
import { ThemeService } from '../../core/theme/theme.service';
import { IconComponent } from '../../shared/icon.component';
import { ChatSession } from '../chat-session.service';
import { DecryptedStore } from '../e2e/decrypted.store';
import { systemText } from '../messages/system-message.component';
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
import { SearchSnippetComponent } from '../search/search-snippet.component';
import { SearchStore } from '../search/search.store';
import { LockIconComponent } from '../verification/lock-icon.component';

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
  /** End-to-end encrypted: a lock beside the name. */
  encrypted: boolean;
}

@Component({
  selector: 'chat-conversation-list',
  imports: [
    RouterLink,
    IconComponent,
    AvatarComponent,
    NewGroupDialogComponent,
    SearchSnippetComponent,
    LockIconComponent,
  ],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './conversation-list.component.html',
  styleUrl: './conversation-list.component.css',
  providers: [SearchStore],
  host: {
    '(keydown)': 'onListKey($event)',
    '(document:keydown)': 'onGlobalKey($event)',
  },
})
export class ConversationListComponent {
  private readonly store = inject(ConversationsStore);
  private readonly typing = inject(TypingStore);
  private readonly api = inject(ConversationsApi);
  private readonly session = inject(ChatSession);
  private readonly router = inject(Router);
  private readonly page = inject(PageVisibility);
  private readonly decrypted = inject(DecryptedStore);
  protected readonly auth = inject(AuthStore);
  protected readonly theme = inject(ThemeService);

  private readonly groupDialog = viewChild.required(NewGroupDialogComponent);
  private readonly searchInput = viewChild.required<ElementRef<HTMLInputElement>>('searchInput');
  protected readonly search = inject(SearchStore);
  protected readonly query = this.search.query;
  protected readonly opening = signal<string | null>(null);
  protected readonly openError = signal<string | null>(null);
  protected readonly loaded = this.store.loaded;
  protected readonly loadError = this.store.error;

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
      // An encrypted last message: its decrypted text, or a lock until it is decrypted.
      const sealed = last?.encrypted && !last.deletedAt ? this.decrypted.preview(last) : null;
      let preview = 'No messages yet';
      if (last) {
        const body = last.deletedAt
          ? 'This message was deleted'
          : last.type === 'system'
            ? systemText(
                { senderId: last.senderId, own: last.senderId === selfId, text: last.content },
                last.system,
                conversation.members,
              )
            : sealed
              ? sealed.text
              : last.call
                ? callLabel(last.call)
                : last.content || attachmentWord(last.type, last.attachment);
        const sender = conversation.members.find((member) => member.id === last.senderId);
        const prefix =
          last.type === 'system'
            ? ''
            : last.senderId === selfId
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
        previewIsImage:
          !typers.length && (sealed?.type ?? last?.type) === 'image' && !last?.deletedAt,
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
        encrypted: conversation.encrypted === true,
      };
    });
  });

  protected readonly conversationResults = computed(() => {
    const ids = new Set(this.search.matchingConversations().map((c) => c.id));
    return this.rows().filter((row) => ids.has(row.id));
  });

  protected readonly messageResults = computed(() => {
    const selfId = this.auth.userId();
    const now = this.page.now();
    return this.search.messages().map(({ message, snippet }) => {
      const conversation = this.store.get(message.conversationId);
      const sender = conversation?.members.find((member) => member.id === message.senderId);
      return {
        id: message.id,
        conversationId: message.conversationId,
        seq: message.seq,
        snippet,
        sender: message.senderId === selfId ? 'You' : displayName(sender),
        conversation: conversation ? conversationTitle(conversation, selfId) : '',
        time: shortTime(message.createdAt, now),
      };
    });
  });

  protected onQuery(event: Event): void {
    this.openError.set(null);
    this.search.setQuery((event.target as HTMLInputElement).value);
  }

  protected clearSearch(focus = false): void {
    this.search.clear();
    this.openError.set(null);
    const input = this.searchInput().nativeElement;
    input.value = '';
    if (focus) input.focus();
  }

  protected onSearchKey(event: KeyboardEvent): void {
    const input = this.searchInput().nativeElement;
    if (event.key === 'Escape') {
      event.preventDefault();
      if (this.query()) this.clearSearch(true);
      else input.blur();
    } else if (event.key === 'ArrowDown') {
      event.preventDefault();
      this.focusItem(input.closest('.sidebar-root'), 0);
    }
  }

  /** Ctrl+K (or ⌘K), or "/" outside a text field, focuses the search box from anywhere. */
  protected onGlobalKey(event: KeyboardEvent): void {
    const combo = (event.ctrlKey || event.metaKey) && event.key.toLowerCase() === 'k';
    const slash = event.key === '/' && !event.ctrlKey && !event.metaKey && !isTextField(event);
    if (!combo && !slash) return;
    event.preventDefault();
    const input = this.searchInput().nativeElement;
    // On a phone an open conversation hides the list: go back to it first.
    if (input.offsetParent === null && this.store.activeId())
      void this.router.navigate(['/']).then(() => requestAnimationFrame(() => input.select()));
    else input.select();
  }

  protected openConversation(id: string): void {
    this.clearSearch();
    void this.router.navigate(['/c', id]);
  }

  /** Opens the conversation at the message (the results stay, to try the next one). */
  protected openMessage(result: { conversationId: string; seq: number }): void {
    void this.router.navigate(['/c', result.conversationId], {
      queryParams: { at: result.seq },
    });
  }

  /** Up/down arrows move between conversations and search results; Escape goes back to the box. */
  protected onListKey(event: KeyboardEvent): void {
    const target = event.target as HTMLElement;
    if (!target.hasAttribute?.('data-nav-item')) return;
    if (event.key === 'Escape' && this.query()) {
      event.preventDefault();
      this.searchInput().nativeElement.focus();
      return;
    }
    if (event.key !== 'ArrowDown' && event.key !== 'ArrowUp') return;
    const root = target.closest('.sidebar-root');
    const items = this.items(root);
    const index = items.indexOf(event.target as HTMLElement);
    if (index < 0) return;
    event.preventDefault();
    this.focusItem(root, index + (event.key === 'ArrowDown' ? 1 : -1));
  }

  protected async openDirect(user: UserView, encrypted = false): Promise<void> {
    if (this.opening()) return;
    this.opening.set(user.id);
    try {
      const conversation = await firstValueFrom(this.api.openDirect(user.id, { encrypted }));
      this.store.upsert(conversation);
      this.clearSearch();
      await this.router.navigate(['/c', conversation.id]);
    } catch (err) {
      this.openError.set(parseHttpError(err).message);
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

  private items(root: Element | null): HTMLElement[] {
    return root ? [...root.querySelectorAll<HTMLElement>('[data-nav-item]')] : [];
  }

  private focusItem(root: Element | null, index: number): void {
    const items = this.items(root);
    if (!items.length) return;
    items[Math.max(0, Math.min(items.length - 1, index))].focus();
  }
}

function isTextField(event: KeyboardEvent): boolean {
  const target = event.target as HTMLElement | null;
  if (!target) return false;
  return (
    target.isContentEditable ||
    target.tagName === 'INPUT' ||
    target.tagName === 'TEXTAREA' ||
    target.tagName === 'SELECT'
  );
}
