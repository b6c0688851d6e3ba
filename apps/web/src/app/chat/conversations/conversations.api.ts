import { HttpClient, HttpParams } from '@angular/common/http';
import { Injectable, inject } from '@angular/core';
import type {
  ConversationView,
  MembersPageView,
  MessageReceiptsView,
  MessageView,
  UserView,
} from '@chat/shared-dto';
import type { Observable } from 'rxjs';

export interface HistoryQuery {
  limit?: number;
  before?: number;
  after?: number;
  /** The page centred on this seq (it and older ones first), ascending. */
  around?: number;
  /** The change feed: every message whose rev is greater, ascending by rev. */
  changedSince?: number;
}

@Injectable({ providedIn: 'root' })
export class ConversationsApi {
  private readonly http = inject(HttpClient);

  list(): Observable<ConversationView[]> {
    return this.http.get<ConversationView[]>('/api/conversations');
  }

  /** Finds or creates the direct conversation; `encrypted` creates it encrypted (or switches it on). */
  openDirect(userId: string, options: { encrypted?: boolean } = {}): Observable<ConversationView> {
    return this.http.post<ConversationView>(
      '/api/conversations',
      options.encrypted ? { userId, encrypted: true } : { userId },
    );
  }

  /** Switches end-to-end encryption on for a direct conversation (idempotent, never off). */
  enableEncryption(conversationId: string): Observable<ConversationView> {
    return this.http.put<ConversationView>(
      `/api/conversations/${encodeURIComponent(conversationId)}/encryption`,
      {},
    );
  }

  createGroup(name: string, memberIds: string[]): Observable<ConversationView> {
    return this.http.post<ConversationView>('/api/conversations', {
      type: 'group',
      name,
      memberIds,
    });
  }

  messages(conversationId: string, query: HistoryQuery = {}): Observable<MessageView[]> {
    let params = new HttpParams();
    for (const [key, value] of Object.entries(query)) {
      if (value !== undefined) params = params.set(key, String(value));
    }
    return this.http.get<MessageView[]>(
      `/api/conversations/${encodeURIComponent(conversationId)}/messages`,
      {
        params,
      },
    );
  }

  searchUsers(query: string, limit = 20): Observable<UserView[]> {
    return this.http.get<UserView[]>('/api/users/search', {
      params: new HttpParams().set('query', query).set('limit', String(limit)),
    });
  }

  get(conversationId: string): Observable<ConversationView> {
    return this.http.get<ConversationView>(
      `/api/conversations/${encodeURIComponent(conversationId)}`,
    );
  }

  rename(conversationId: string, name: string): Observable<ConversationView> {
    return this.http.patch<ConversationView>(
      `/api/conversations/${encodeURIComponent(conversationId)}`,
      { name },
    );
  }

  /** A page of members in ascending user id; `after` is the previous page's `next`. */
  members(conversationId: string, after?: string, limit = 50): Observable<MembersPageView> {
    let params = new HttpParams().set('limit', String(limit));
    if (after) params = params.set('after', after);
    return this.http.get<MembersPageView>(
      `/api/conversations/${encodeURIComponent(conversationId)}/members`,
      { params },
    );
  }

  addMembers(conversationId: string, userIds: string[]): Observable<ConversationView> {
    return this.http.post<ConversationView>(
      `/api/conversations/${encodeURIComponent(conversationId)}/members`,
      { userIds },
    );
  }

  setRole(
    conversationId: string,
    userId: string,
    role: 'admin' | 'member',
  ): Observable<ConversationView> {
    return this.http.patch<ConversationView>(
      `/api/conversations/${encodeURIComponent(conversationId)}/members/${encodeURIComponent(userId)}`,
      { role },
    );
  }

  removeMember(conversationId: string, userId: string): Observable<void> {
    return this.http.delete<void>(
      `/api/conversations/${encodeURIComponent(conversationId)}/members/${encodeURIComponent(userId)}`,
    );
  }

  leave(conversationId: string): Observable<void> {
    return this.http.post<void>(
      `/api/conversations/${encodeURIComponent(conversationId)}/leave`,
      {},
    );
  }

  receipts(conversationId: string, messageId: string): Observable<MessageReceiptsView> {
    return this.http.get<MessageReceiptsView>(
      `/api/conversations/${encodeURIComponent(conversationId)}/messages/${encodeURIComponent(messageId)}/receipts`,
    );
  }
}
