import { signal } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import type {
  ConversationMemberView,
  ConversationView,
  MessageView,
  SearchMessagesQuery,
  SearchMessagesResponse,
  UserView,
} from '@chat/shared-dto';
import type { Observable } from 'rxjs';
import { Subject, of, throwError } from 'rxjs';
import { HttpErrorResponse } from '@angular/common/http';
import { AuthStore } from '../../core/auth/auth.store';
import { ConversationsApi } from '../conversations/conversations.api';
import { ConversationsStore } from '../conversations/conversations.store';
import { SearchApi } from './search.api';
import { SEARCH_DEBOUNCE_MS, SearchStore } from './search.store';

function user(id: string, displayName?: string): UserView {
  return { id, username: id, displayName, status: 'offline' } as UserView;
}

function member(id: string, displayName?: string): ConversationMemberView {
  return {
    id,
    username: id,
    displayName,
    status: 'offline',
    role: 'member',
    lastReadSeq: 0,
    lastDeliveredSeq: 0,
  } as ConversationMemberView;
}

function conversation(id: string, overrides: Partial<ConversationView>): ConversationView {
  return {
    encrypted: false,
    id,
    type: 'direct',
    members: [member('me')],
    unreadCount: 0,
    unreadMentions: 0,
    memberCount: 1,
    lastReadSeq: 0,
    lastRev: 0,
    createdAt: '2024-01-01T00:00:00.000Z',
    lastActivityAt: '2024-01-01T00:00:00.000Z',
    ...overrides,
  };
}

function hit(id: string, query: string): { message: MessageView; snippet: string } {
  return {
    message: { id, conversationId: 'c1', seq: 1, content: query } as MessageView,
    snippet: `<mark>${query}</mark>`,
  };
}

describe('SearchStore', () => {
  let store: SearchStore;
  let userCalls: string[];
  let messageCalls: SearchMessagesQuery[];
  /** Per query text, what the message search answers (default: one hit named after it). */
  let answers: Map<string, Observable<SearchMessagesResponse>>;

  beforeEach(() => {
    jest.useFakeTimers();
    userCalls = [];
    messageCalls = [];
    answers = new Map();
    TestBed.configureTestingModule({
      providers: [
        SearchStore,
        ConversationsStore,
        { provide: AuthStore, useValue: { userId: signal('me') } },
        {
          provide: ConversationsApi,
          useValue: {
            searchUsers: (query: string) => {
              userCalls.push(query);
              return of(query === 'zzz' ? [] : [user('me'), user(`${query}-user`)]);
            },
          },
        },
        {
          provide: SearchApi,
          useValue: {
            messages: (query: SearchMessagesQuery) => {
              messageCalls.push(query);
              const key = query.before ? `${query.query}@${query.before}` : query.query;
              return answers.get(key) ?? of({ results: [hit(`m-${query.query}`, query.query)] });
            },
          },
        },
      ],
    });
    TestBed.inject(ConversationsStore).setAll([
      conversation('c1', { type: 'group', name: 'Deploy team', members: [member('me')] }),
      conversation('c2', { members: [member('me'), member('dora', 'Dora Explorer')] }),
      conversation('c3', { type: 'group', name: 'Lunch', members: [member('me')] }),
    ]);
    store = TestBed.inject(SearchStore);
  });

  afterEach(() => jest.useRealTimers());

  it('waits for a pause in typing and asks once for the last text', () => {
    store.setQuery('d');
    jest.advanceTimersByTime(100);
    store.setQuery('de');
    jest.advanceTimersByTime(100);
    store.setQuery('dep');
    expect(store.status()).toBe('loading');
    expect(messageCalls).toEqual([]);
    jest.advanceTimersByTime(SEARCH_DEBOUNCE_MS);
    expect(messageCalls).toEqual([{ query: 'dep', limit: 20 }]);
    expect(userCalls).toEqual(['dep']);
    expect(store.status()).toBe('ready');
  });

  it('groups people (without the caller), matching conversations and messages', () => {
    store.setQuery('d');
    jest.advanceTimersByTime(SEARCH_DEBOUNCE_MS);
    expect(store.people().map((u) => u.id)).toEqual(['d-user']);
    // "Deploy team" by its name, the direct chat with Dora by its member; not "Lunch".
    expect(store.matchingConversations().map((c) => c.id)).toEqual(['c1', 'c2']);
    expect(store.messages().map((r) => r.message.id)).toEqual(['m-d']);
    expect(store.empty()).toBe(false);
  });

  it('ignores the answer to a text the box no longer holds, cancelling its request', () => {
    const slow = new Subject<SearchMessagesResponse>();
    answers.set('old', slow);
    store.setQuery('old');
    jest.advanceTimersByTime(SEARCH_DEBOUNCE_MS);
    expect(slow.observed).toBe(true);
    store.setQuery('new');
    // The in-flight request of "old" is unsubscribed (HttpClient aborts it) at once.
    expect(slow.observed).toBe(false);
    slow.next({ results: [hit('stale', 'old')] });
    jest.advanceTimersByTime(SEARCH_DEBOUNCE_MS);
    expect(store.messages().map((r) => r.message.id)).toEqual(['m-new']);
  });

  it('clears at once and never shows a late answer after clearing', () => {
    store.setQuery('dep');
    store.clear();
    jest.advanceTimersByTime(SEARCH_DEBOUNCE_MS * 2);
    expect(messageCalls).toEqual([]);
    expect(store.status()).toBe('idle');
    expect(store.active()).toBe(false);
  });

  it('pages older message results with before=next and appends them', () => {
    answers.set('ticket', of({ results: [hit('m4', 'ticket'), hit('m3', 'ticket')], next: 'c1' }));
    answers.set('ticket@c1', of({ results: [hit('m2', 'ticket')], next: undefined }));
    store.setQuery('ticket');
    jest.advanceTimersByTime(SEARCH_DEBOUNCE_MS);
    expect(store.next()).toBe('c1');
    store.loadMore();
    expect(messageCalls.at(-1)).toEqual({ query: 'ticket', limit: 20, before: 'c1' });
    expect(store.messages().map((r) => r.message.id)).toEqual(['m4', 'm3', 'm2']);
    expect(store.next()).toBeUndefined();
    store.loadMore();
    expect(messageCalls).toHaveLength(2);
  });

  it('drops a page that arrives after the text changed', () => {
    const slowPage = new Subject<SearchMessagesResponse>();
    answers.set('ticket', of({ results: [hit('m4', 'ticket')], next: 'c1' }));
    answers.set('ticket@c1', slowPage);
    store.setQuery('ticket');
    jest.advanceTimersByTime(SEARCH_DEBOUNCE_MS);
    store.loadMore();
    expect(store.loadingMore()).toBe(true);
    store.setQuery('tickets');
    expect(slowPage.observed).toBe(false);
    expect(store.loadingMore()).toBe(false);
  });

  it('shows an empty state and an error state', () => {
    answers.set('zzz', of({ results: [] }));
    store.setQuery('zzz');
    jest.advanceTimersByTime(SEARCH_DEBOUNCE_MS);
    expect(store.empty()).toBe(true);
    answers.set(
      'boom',
      throwError(() => new HttpErrorResponse({ status: 500, error: { message: 'down' } })),
    );
    store.setQuery('boom');
    jest.advanceTimersByTime(SEARCH_DEBOUNCE_MS);
    expect(store.status()).toBe('error');
    expect(store.error()).toBeTruthy();
    expect(store.messages()).toEqual([]);
  });

  it('skips the message search for punctuation alone (the server needs a word)', () => {
    store.setQuery('&&');
    jest.advanceTimersByTime(SEARCH_DEBOUNCE_MS);
    expect(messageCalls).toEqual([]);
    expect(userCalls).toEqual(['&&']);
    expect(store.status()).toBe('ready');
  });
});
