import { signal } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import type { ConversationView, MessageView, ServerToClientEvents } from '@chat/shared-dto';
import { of } from 'rxjs';
import { AuthStore } from '../core/auth/auth.store';
import { ChatSession } from './chat-session.service';
import type { HistoryQuery } from './conversations/conversations.api';
import { ConversationsApi } from './conversations/conversations.api';
import { ConversationsStore } from './conversations/conversations.store';
import { MessagesStore } from './messages/messages.store';
import { OutboxService } from './messages/outbox.service';
import { OfflineSnapshotService } from './offline/offline-snapshot.service';
import { TypingStore } from './messages/typing.store';
import { UploadsStore } from './messages/uploads.store';
import type { RealtimeHandlers } from './realtime/realtime.service';
import { ProfileApi } from './profile/profile.api';
import { RealtimeService } from './realtime/realtime.service';

/** Just enough of the socket: server events in, connection changes. */
class FakeRealtime {
  readonly status = signal<'idle' | 'connecting' | 'connected' | 'reconnecting'>('idle');
  connected = false;
  handlers: RealtimeHandlers | null = null;
  listeners = new Map<string, (payload: never) => void>();
  connect(_token: string, handlers: RealtimeHandlers) {
    this.handlers = handlers;
  }
  disconnect() {
    this.connected = false;
  }
  on<E extends keyof ServerToClientEvents>(event: E, handler: ServerToClientEvents[E]) {
    this.listeners.set(event, handler as (payload: never) => void);
    return () => this.listeners.delete(event);
  }
  fire<E extends keyof ServerToClientEvents>(
    event: E,
    payload: Parameters<ServerToClientEvents[E]>[0],
  ) {
    (this.listeners.get(event) as ((p: typeof payload) => void) | undefined)?.(payload);
  }
  async emit() {
    return { ok: true as const };
  }
  goOnline(first: boolean) {
    this.connected = true;
    this.status.set('connected');
    this.handlers?.connected(first);
  }
}

function msg(seq: number, overrides: Partial<MessageView> = {}): MessageView {
  return {
    id: `m${seq}`,
    conversationId: 'c1',
    seq,
    senderId: 'ana',
    content: `text ${seq}`,
    type: 'text',
    clientId: `k${seq}`,
    createdAt: new Date(2024, 0, 1, 0, seq).toISOString(),
    rev: seq,
    reactions: [],
    mentions: [],
    ...overrides,
  };
}

const member = (id: string) => ({
  id,
  username: id,
  status: 'online' as const,
  role: 'member' as const,
  lastReadSeq: 0,
  lastDeliveredSeq: 0,
});

async function settle(): Promise<void> {
  for (let i = 0; i < 30; i++) await Promise.resolve();
}

describe('ChatSession: message:updated and the replay after a reconnect', () => {
  let realtime: FakeRealtime;
  let session: ChatSession;
  let messages: MessagesStore;
  let conversations: ConversationsStore;
  let server: MessageView[];
  const queries: HistoryQuery[] = [];

  const conversation = (): ConversationView => ({
    encrypted: false,
    id: 'c1',
    type: 'direct',
    members: [member('me'), member('ana')],
    lastMessage: server[server.length - 1],
    unreadCount: 2,
    unreadMentions: 0,
    memberCount: 2,
    lastReadSeq: 1,
    lastRev: Math.max(...server.map((m) => m.rev)),
    createdAt: '2024-01-01T00:00:00.000Z',
    lastActivityAt: '2024-01-01T00:00:00.000Z',
  });

  beforeEach(() => {
    server = [msg(1), msg(2), msg(3)];
    queries.length = 0;
    realtime = new FakeRealtime();
    TestBed.configureTestingModule({
      providers: [
        provideRouter([]),
        ChatSession,
        ConversationsStore,
        MessagesStore,
        OutboxService,
        OfflineSnapshotService,
        TypingStore,
        UploadsStore,
        { provide: RealtimeService, useValue: realtime },
        { provide: ProfileApi, useValue: { blocked: () => of([]) } },
        {
          provide: AuthStore,
          useValue: {
            token: () => 'tok',
            userId: () => 'me',
            isLoggedIn: () => true,
            expire: jest.fn(),
          },
        },
        {
          provide: ConversationsApi,
          useValue: {
            list: () => of([conversation()]),
            messages: (_id: string, query: HistoryQuery = {}) => {
              queries.push(query);
              if (query.changedSince !== undefined)
                return of(
                  server
                    .filter((m) => m.rev > (query.changedSince ?? 0))
                    .sort((a, b) => a.rev - b.rev),
                );
              if (query.after !== undefined)
                return of(server.filter((m) => m.seq > (query.after ?? 0)));
              return of(server);
            },
          },
        },
      ],
    });
    session = TestBed.inject(ChatSession);
    messages = TestBed.inject(MessagesStore);
    conversations = TestBed.inject(ConversationsStore);
    session.start();
  });

  afterEach(() => session.stop(true));

  it('merges message:updated into the thread and the preview, counting a tombstone once', async () => {
    realtime.goOnline(true);
    await messages.open('c1');
    await settle();
    const deleted = msg(3, { content: '', deletedAt: '2024-01-02T00:00:00.000Z', rev: 4 });
    realtime.fire('message:updated', deleted);
    realtime.fire('message:updated', deleted);
    realtime.fire('message:updated', msg(3, { rev: 3 }));
    expect(messages.find('c1', 'm3')?.deletedAt).toBe('2024-01-02T00:00:00.000Z');
    expect(conversations.get('c1')?.lastMessage?.deletedAt).toBe('2024-01-02T00:00:00.000Z');
    expect(conversations.get('c1')?.unreadCount).toBe(1);
  });

  it('replays changedSince=<highest rev held> per loaded conversation after a reconnect', async () => {
    realtime.goOnline(true);
    await messages.open('c1');
    await settle();
    realtime.connected = false;
    // Changed while this device was away:
    server = [
      msg(1, { content: 'edited away', editedAt: '2024-01-02T00:00:00.000Z', rev: 4 }),
      msg(2, { content: '', deletedAt: '2024-01-02T00:00:00.000Z', rev: 5 }),
      msg(3, { reactions: [{ emoji: '👍', count: 1, userIds: ['ana'] }], rev: 6 }),
    ];
    realtime.goOnline(false);
    await settle();
    expect(queries).toContainEqual({ changedSince: 3, limit: 100 });
    expect(queries).toContainEqual({ after: 3, limit: 100 });
    expect(
      messages
        .thread('c1')()
        .messages.map((m) => [m.content, m.rev]),
    ).toEqual([
      ['edited away', 4],
      ['', 5],
      ['text 3', 6],
    ]);
    expect(messages.find('c1', 'm3')?.reactions[0]?.emoji).toBe('👍');
  });
});
