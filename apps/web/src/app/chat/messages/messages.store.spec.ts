import { TestBed } from '@angular/core/testing';
import type { MessageView } from '@chat/shared-dto';
import type { Observable } from 'rxjs';
import { of, throwError } from 'rxjs';
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

/** A server holding messages 1..total of conversation c1, answering like the contract says. */
function fakeApi(total: { value: number }) {
  const calls: HistoryQuery[] = [];
  const api = {
    calls,
    messages: (_id: string, query: HistoryQuery = {}): Observable<MessageView[]> => {
      calls.push(query);
      const all = Array.from({ length: total.value }, (_, i) => msg(i + 1));
      const limit = query.limit ?? 50;
      let page: MessageView[];
      if (query.after !== undefined)
        page = all.filter((m) => m.seq > (query.after ?? 0)).slice(0, limit);
      else if (query.before !== undefined)
        page = all.filter((m) => m.seq < (query.before ?? 0)).slice(-limit);
      else page = all.slice(-limit);
      return of(page);
    },
  };
  return api;
}

async function settle(): Promise<void> {
  for (let i = 0; i < 10; i++) await Promise.resolve();
}

describe('MessagesStore', () => {
  let store: MessagesStore;
  let api: ReturnType<typeof fakeApi>;
  const total = { value: 120 };

  beforeEach(() => {
    total.value = 120;
    api = fakeApi(total);
    TestBed.configureTestingModule({
      providers: [MessagesStore, { provide: ConversationsApi, useValue: api }],
    });
    store = TestBed.inject(MessagesStore);
  });

  it('opens with the newest page and pages older ones with before=<first seq>', async () => {
    await store.open('c1');
    const thread = store.thread('c1');
    expect(thread().messages.map((m) => m.seq)).toEqual(
      Array.from({ length: 50 }, (_, i) => i + 71),
    );
    expect(thread().hasOlder).toBe(true);
    await store.loadOlder('c1');
    expect(api.calls[api.calls.length - 1]).toEqual({ limit: 50, before: 71 });
    await store.loadOlder('c1');
    expect(thread().messages[0].seq).toBe(1);
    expect(thread().hasOlder).toBe(false);
  });

  it('catches up after a gap in live messages without duplicates', async () => {
    await store.open('c1');
    total.value = 130;
    store.receive(msg(130)); // 121..129 were missed
    await settle();
    await store.catchUp('c1');
    const seqs = store
      .thread('c1')()
      .messages.map((m) => m.seq);
    expect(seqs.slice(-11)).toEqual([120, 121, 122, 123, 124, 125, 126, 127, 128, 129, 130]);
    expect(new Set(seqs).size).toBe(seqs.length);
    expect(api.calls.some((q) => q.after === 120)).toBe(true);
  });

  it('pages a reconnect catch-up until fewer than the limit come back', async () => {
    await store.open('c1');
    total.value = 350;
    api.calls.length = 0;
    await store.catchUp('c1');
    expect(api.calls.map((q) => q.after)).toEqual([120, 220, 320]);
    expect(store.newest('c1')?.seq).toBe(350);
  });

  it('retries a failed catch-up so no hole is left', async () => {
    jest.useFakeTimers();
    await store.open('c1');
    total.value = 125;
    const real = api.messages;
    let fail = true;
    api.messages = (id: string, query: HistoryQuery = {}) => {
      if (fail && query.after !== undefined) {
        fail = false;
        return throwError(() => new Error('500'));
      }
      return real(id, query);
    };
    await store.catchUp('c1');
    expect(store.newest('c1')?.seq).toBe(120);
    jest.advanceTimersByTime(600);
    await settle();
    await settle();
    expect(store.newest('c1')?.seq).toBe(125);
    jest.useRealTimers();
  });

  it('ignores a duplicate and messages of conversations never opened', async () => {
    expect(store.receive(msg(1))).toBe(false);
    await store.open('c1');
    expect(store.receive(msg(120))).toBe(false);
  });
});
