import { DestroyRef, Injectable, computed, inject, signal } from '@angular/core';
import type { ConversationView, SearchResultView, UserView } from '@chat/shared-dto';
import type { Observable } from 'rxjs';
import { EMPTY, Subject, catchError, forkJoin, map, of, switchMap, takeUntil, timer } from 'rxjs';
import { AuthStore } from '../../core/auth/auth.store';
import { parseHttpError } from '../../core/http/http-error';
import { ConversationsApi } from '../conversations/conversations.api';
import { ConversationsStore } from '../conversations/conversations.store';
import { conversationTitle, displayName } from '../shared/format';
import { SearchApi } from './search.api';

export const SEARCH_DEBOUNCE_MS = 200;
export const PEOPLE_LIMIT = 8;
export const MESSAGES_PAGE = 20;
/** The server's query limits (`SearchUsersQuery` 64, `SearchMessagesQuery` 200 characters). */
const PEOPLE_QUERY_MAX = 64;
/** The message search needs a word: punctuation alone is a 400. */
const HAS_WORD = /[\p{L}\p{N}]/u;

export type SearchStatus = 'idle' | 'loading' | 'ready' | 'error';

interface Answer {
  query: string;
  people: readonly UserView[];
  messages: readonly SearchResultView[];
  next: string | undefined;
  error: string | null;
}

/**
 * Search as you type: people (the user directory), the user's loaded conversations (by name or
 * member names, client-side) and messages (full text, newest first, paged with `next`). Typing
 * waits for a pause; a newer query cancels the requests of an older one, so a slow answer can
 * never overwrite a newer one.
 */
@Injectable()
export class SearchStore {
  private readonly api = inject(SearchApi);
  private readonly conversationsApi = inject(ConversationsApi);
  private readonly conversations = inject(ConversationsStore);
  private readonly auth = inject(AuthStore);

  private readonly typed = new Subject<string>();
  private readonly cancelMore = new Subject<void>();

  readonly query = signal('');
  readonly status = signal<SearchStatus>('idle');
  readonly error = signal<string | null>(null);
  readonly people = signal<readonly UserView[]>([]);
  readonly messages = signal<readonly SearchResultView[]>([]);
  readonly next = signal<string | undefined>(undefined);
  readonly loadingMore = signal(false);
  /** The query the shown results answer (the box may already hold a newer one). */
  private answered = '';

  readonly term = computed(() => this.query().trim());
  readonly active = computed(() => this.term().length > 0);

  readonly matchingConversations = computed<readonly ConversationView[]>(() => {
    const term = this.term().toLocaleLowerCase();
    if (!term) return [];
    const selfId = this.auth.userId();
    return this.conversations.conversations().filter((conversation) => {
      if (conversationTitle(conversation, selfId).toLocaleLowerCase().includes(term)) return true;
      return conversation.members.some(
        (member) =>
          member.id !== selfId &&
          (displayName(member).toLocaleLowerCase().includes(term) ||
            member.username.toLocaleLowerCase().includes(term)),
      );
    });
  });

  readonly empty = computed(
    () =>
      this.status() === 'ready' &&
      !this.people().length &&
      !this.messages().length &&
      !this.matchingConversations().length,
  );

  constructor() {
    const subscription = this.typed
      .pipe(
        // Every keystroke restarts the pause and cancels the requests of the previous text.
        switchMap((query) =>
          query ? timer(SEARCH_DEBOUNCE_MS).pipe(switchMap(() => this.fetch(query))) : EMPTY,
        ),
      )
      .subscribe((answer) => this.show(answer));
    inject(DestroyRef).onDestroy(() => {
      subscription.unsubscribe();
      this.cancelMore.next();
    });
  }

  setQuery(value: string): void {
    this.query.set(value);
    this.cancelMore.next();
    this.loadingMore.set(false);
    const query = value.trim();
    if (!query) {
      this.reset();
      // Cancels a pending or in-flight search of the old text.
      this.typed.next('');
      return;
    }
    this.status.set('loading');
    this.typed.next(query);
  }

  clear(): void {
    this.setQuery('');
  }

  /** The next (older) page of message results. */
  loadMore(): void {
    const before = this.next();
    const query = this.answered;
    if (!before || this.loadingMore() || query !== this.term()) return;
    this.loadingMore.set(true);
    this.api
      .messages({ query, limit: MESSAGES_PAGE, before })
      .pipe(takeUntil(this.cancelMore))
      .subscribe({
        next: (page) => {
          if (query !== this.term()) return;
          const seen = new Set(this.messages().map((r) => r.message.id));
          this.messages.update((held) => [
            ...held,
            ...page.results.filter((r) => !seen.has(r.message.id)),
          ]);
          this.next.set(page.next);
          this.loadingMore.set(false);
        },
        error: (err: unknown) => {
          this.error.set(parseHttpError(err).message);
          this.loadingMore.set(false);
        },
      });
  }

  private fetch(query: string): Observable<Answer> {
    const selfId = this.auth.userId();
    const people = this.conversationsApi
      .searchUsers(query.slice(0, PEOPLE_QUERY_MAX), PEOPLE_LIMIT)
      .pipe(map((users) => users.filter((user) => user.id !== selfId)));
    const messages = HAS_WORD.test(query)
      ? this.api.messages({ query, limit: MESSAGES_PAGE })
      : of({ results: [], next: undefined });
    return forkJoin({ people, messages }).pipe(
      map(({ people, messages }): Answer => ({
        query,
        people,
        messages: messages.results,
        next: messages.next,
        error: null,
      })),
      catchError((err: unknown) =>
        of<Answer>({
          query,
          people: [],
          messages: [],
          next: undefined,
          error: parseHttpError(err).message,
        }),
      ),
    );
  }

  private show(answer: Answer): void {
    // A debounced answer for text the box no longer holds is stale.
    if (answer.query !== this.term()) return;
    this.answered = answer.query;
    this.people.set(answer.people);
    this.messages.set(answer.messages);
    this.next.set(answer.next);
    this.error.set(answer.error);
    this.status.set(answer.error ? 'error' : 'ready');
  }

  private reset(): void {
    this.answered = '';
    this.people.set([]);
    this.messages.set([]);
    this.next.set(undefined);
    this.error.set(null);
    this.status.set('idle');
  }
}
