import { TestBed } from '@angular/core/testing';
import type { MessageView } from '@chat/shared-dto';
import type { Observable } from 'rxjs';
import { of } from 'rxjs';
import type { HistoryQuery } from '../conversations/conversations.api';
import { ConversationsApi } from '../conversations/conversations.api';
import { MessagesStore } from './messages.store';

function msg(seq: number, overrides: Partial<MessageView> = {}): MessageView {
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
    ...overrides,
  };
}

/** A server whose messages can change (each change takes the next rev), like the contract says. */
function fakeServer(count: number) {
  let rev = count;
  const messages = new Map<number, MessageView>();
  for (let seq = 1; seq <= count; seq++) messages.set(seq, msg(seq));
  const calls: HistoryQuery[] = [];
  const all = () => [...messages.values()].sort((a, b) => a.seq - b.seq);
  return {
    calls,
    change(seq: number, overrides: Partial<MessageView>): MessageView {
      const changed = { ...(messages.get(seq) ?? msg(seq)), ...overrides, rev: ++rev };
      messages.set(seq, changed);
      return changed;
    },
    messages: (_id: string, query: HistoryQuery = {}): Observable<MessageView[]> => {
      calls.push(query);
      const limit = query.limit ?? 50;
      if (query.changedSince !== undefined) {
        const since = query.changedSince;
        return of(
          all()
            .filter((m) => m.rev > since)
            .sort((a, b) => a.rev - b.rev)
            .slice(0, limit),
        );
      }
      if (query.after !== undefined)
        return of(
          all()
            .filter((m) => m.seq > (query.after ?? 0))
            .slice(0, limit),
        );
      if (query.before !== undefined)
        return of(
          all()
            .filter((m) => m.seq < (query.before ?? 0))
            .slice(-limit),
        );
      return of(all().slice(-limit));
    },
  };
}

async function settle(): Promise<void> {
  for (let i = 0; i < 20; i++) await Promise.resolve();
}

describe('MessagesStore: the change feed', () => {
  let store: MessagesStore;
  let server: ReturnType<typeof fakeServer>;

  beforeEach(() => {
    server = fakeServer(120);
    TestBed.configureTestingModule({
      providers: [MessagesStore, { provide: ConversationsApi, useValue: server }],
    });
    store = TestBed.inject(MessagesStore);
  });

  it('replaces a held message by a live update with a newer rev, never with an older one', async () => {
    await store.open('c1');
    const edited = server.change(120, { content: 'fixed', editedAt: new Date().toISOString() });
    expect(store.applyUpdate(edited)).toBe(true);
    expect(store.find('c1', 'm120')?.content).toBe('fixed');
    expect(store.applyUpdate(msg(120))).toBe(false);
    expect(store.applyUpdate(edited)).toBe(false);
    expect(store.find('c1', 'm120')?.content).toBe('fixed');
  });

  it('leaves an update of a message it never loaded alone', async () => {
    await store.open('c1');
    const old = server.change(3, { content: 'edited long ago' });
    expect(store.applyUpdate(old)).toBe(false);
    expect(store.thread('c1')().messages[0].seq).toBe(71);
  });

  it('replays changedSince=<highest rev held> after a reconnect: edits, tombstones, reactions', async () => {
    await store.open('c1');
    // While this device was away:
    server.change(100, { content: 'edited offline', editedAt: '2024-01-02T00:00:00.000Z' });
    server.change(101, { content: '', deletedAt: '2024-01-02T00:01:00.000Z' });
    server.change(102, { reactions: [{ emoji: '👍', count: 1, userIds: ['bob'] }] });
    server.change(5, { content: 'not loaded here' });
    await store.replayChanges('c1');
    expect(server.calls[server.calls.length - 1]).toEqual({ changedSince: 120, limit: 100 });
    const thread = store.thread('c1')();
    expect(store.find('c1', 'm100')?.content).toBe('edited offline');
    expect(store.find('c1', 'm101')?.deletedAt).toBe('2024-01-02T00:01:00.000Z');
    expect(store.find('c1', 'm102')?.reactions).toEqual([
      { emoji: '👍', count: 1, userIds: ['bob'] },
    ]);
    expect(thread.messages[0].seq).toBe(71);
    expect(thread.messages).toHaveLength(50);

    // A second reconnect asks from where the first replay ended and changes nothing.
    await store.replayChanges('c1');
    expect(server.calls[server.calls.length - 1]).toEqual({ changedSince: 124, limit: 100 });
    expect(store.thread('c1')()).toBe(thread);
  });

  it('pages the change feed until a short page comes back', async () => {
    await store.open('c1');
    for (let seq = 1; seq <= 120; seq++) server.change(seq, { content: `changed ${seq}` });
    await store.replayChanges('c1');
    const replays = server.calls.filter((q) => q.changedSince !== undefined);
    expect(replays.map((q) => q.changedSince)).toEqual([120, 220]);
    const held = store.thread('c1')().messages;
    expect(held.map((m) => m.seq)).toEqual(Array.from({ length: 50 }, (_, i) => i + 71));
    expect(held.every((m) => m.content === `changed ${m.seq}`)).toBe(true);
  });

  it('brings new messages from the feed too, without holes', async () => {
    await store.open('c1');
    server.change(121, {});
    server.change(122, {});
    await store.replayChanges('c1');
    expect(
      store
        .thread('c1')()
        .messages.map((m) => m.seq)
        .slice(-3),
    ).toEqual([120, 121, 122]);
  });

  it('does not replay a thread that was never opened', async () => {
    await store.replayChanges('c1');
    await settle();
    expect(server.calls).toEqual([]);
  });

  it('loads older pages until the original of a reply is there', async () => {
    await store.open('c1');
    expect(await store.reveal('c1', 10)).toBe(true);
    expect(store.thread('c1')().messages[0].seq).toBeLessThanOrEqual(10);
    expect(await store.reveal('c1', 500)).toBe(false);
  });
});
