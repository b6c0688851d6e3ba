import { TestBed } from '@angular/core/testing';
import type { MessageView } from '@chat/shared-dto';
import type { Observable } from 'rxjs';
import { of } from 'rxjs';
import type { HistoryQuery } from '../conversations/conversations.api';
import { ConversationsApi } from '../conversations/conversations.api';
import { MessagesStore } from './messages.store';

function msg(seq: number): MessageView {
  return {
    id: `m${seq}`,
    conversationId: 'c1',
    seq,
    senderId: 'ana',
    content: `#${seq}`,
    type: 'text',
    clientId: `k${seq}`,
    createdAt: new Date(2024, 0, 1, 0, seq).toISOString(),
    rev: seq,
    reactions: [],
    mentions: [],
  };
}

/** Messages 1..total of c1, paged like the server (around: half the page before the seq). */
function fakeApi(total: number) {
  const calls: HistoryQuery[] = [];
  const all = Array.from({ length: total }, (_, i) => msg(i + 1));
  return {
    calls,
    messages: (_id: string, query: HistoryQuery = {}): Observable<MessageView[]> => {
      calls.push(query);
      const limit = query.limit ?? 50;
      if (query.around !== undefined) {
        const around = query.around;
        const older = Math.floor(limit / 2);
        return of([
          ...all.filter((m) => m.seq < around).slice(-older),
          ...all.filter((m) => m.seq >= around).slice(0, limit - older),
        ]);
      }
      if (query.after !== undefined)
        return of(all.filter((m) => m.seq > (query.after ?? 0)).slice(0, limit));
      if (query.before !== undefined)
        return of(all.filter((m) => m.seq < (query.before ?? 0)).slice(-limit));
      return of(all.slice(-limit));
    },
  };
}

const seqs = (from: number, to: number) =>
  Array.from({ length: to - from + 1 }, (_, i) => from + i);

describe('MessagesStore.openAt (a search result opened at its place)', () => {
  let store: MessagesStore;
  let api: ReturnType<typeof fakeApi>;

  function setUp(total: number): void {
    api = fakeApi(total);
    TestBed.configureTestingModule({
      providers: [MessagesStore, { provide: ConversationsApi, useValue: api }],
    });
    store = TestBed.inject(MessagesStore);
  }

  it('loads the page around a message of a thread never opened, then up to the newest', async () => {
    setUp(400);
    expect(await store.openAt('c1', 100)).toBe(true);
    const thread = store.thread('c1')();
    expect(api.calls[0]).toEqual({ around: 100, limit: 50 });
    expect(thread.status).toBe('ready');
    expect(thread.messages.map((m) => m.seq)).toEqual(seqs(75, 400));
    expect(thread.hasOlder).toBe(true);
    // Older paging continues from the around page.
    await store.loadOlder('c1');
    expect(api.calls.at(-1)).toEqual({ limit: 50, before: 75 });
    expect(store.thread('c1')().messages[0].seq).toBe(25);
  });

  it('knows the start of the history was reached when the older half is short', async () => {
    setUp(150);
    expect(await store.openAt('c1', 5)).toBe(true);
    const thread = store.thread('c1')();
    expect(thread.messages.map((m) => m.seq)).toEqual(seqs(1, 150));
    expect(thread.hasOlder).toBe(false);
  });

  it('merges with an open thread and fills the hole between them without duplicates', async () => {
    setUp(300);
    await store.open('c1');
    expect(store.thread('c1')().messages[0].seq).toBe(251);
    expect(await store.openAt('c1', 40)).toBe(true);
    const thread = store.thread('c1')();
    expect(thread.messages.map((m) => m.seq)).toEqual(seqs(15, 300));
    expect(thread.hasOlder).toBe(true);
    const ids = thread.messages.map((m) => m.id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('asks nothing when the message is already held', async () => {
    setUp(120);
    await store.open('c1');
    const before = api.calls.length;
    expect(await store.openAt('c1', 100)).toBe(true);
    expect(api.calls.length).toBe(before);
  });

  it('answers false for a seq the server does not have', async () => {
    setUp(20);
    expect(await store.openAt('c1', 999)).toBe(false);
    expect(
      store
        .thread('c1')()
        .messages.map((m) => m.seq),
    ).toEqual(seqs(1, 20).slice(-25));
  });
});
