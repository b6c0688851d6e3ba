import { HttpErrorResponse } from '@angular/common/http';
import { signal } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import type { ConversationView, MessageView, ServerToClientEvents } from '@chat/shared-dto';
import { Subject, of, throwError } from 'rxjs';
import { AuthStore } from '../core/auth/auth.store';
import { ChatSession } from './chat-session.service';
import { ConversationsApi } from './conversations/conversations.api';
import { ConversationsStore } from './conversations/conversations.store';
import { VerificationStore } from './verification/verification.store';
import { NO_RECIPIENT_DEVICE, NoRecipientDevice } from './e2e/e2e-cipher';
import { E2eCipherService } from './e2e/cipher.service';
import { DecryptedStore } from './e2e/decrypted.store';
import { E2eDeviceService } from './e2e/device.service';
import { MessagesStore } from './messages/messages.store';
import { OutboxService } from './messages/outbox.service';
import { OfflineSnapshotService } from './offline/offline-snapshot.service';
import { TypingStore } from './messages/typing.store';
import { UploadsStore } from './messages/uploads.store';
import type { EmitResult, RealtimeHandlers } from './realtime/realtime.service';
import { ProfileApi } from './profile/profile.api';
import { RealtimeService } from './realtime/realtime.service';

class FakeRealtime {
  readonly status = signal<'idle' | 'connecting' | 'connected' | 'reconnecting'>('idle');
  connected = false;
  handlers: RealtimeHandlers | null = null;
  listeners = new Map<string, (payload: never) => void>();
  emits: { event: string; payload: Record<string, unknown> }[] = [];
  answer: (event: string, payload: Record<string, unknown>) => EmitResult = () => ({ ok: true });
  connect(_token: string, handlers: RealtimeHandlers) {
    this.handlers = handlers;
  }
  disconnect() {
    this.connected = false;
  }
  reconnect() {
    this.connected = true;
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
  async emit(event: string, payload: Record<string, unknown>): Promise<EmitResult> {
    if (!this.connected) return { ok: false, error: { code: 'DISCONNECTED', message: 'offline' } };
    this.emits.push({ event, payload });
    return this.answer(event, payload);
  }
  goOnline(first: boolean) {
    this.connected = true;
    this.status.set('connected');
    this.handlers?.connected(first);
  }
}

const conversation: ConversationView = {
  encrypted: false,
  id: 'c1',
  type: 'direct',
  members: [
    {
      id: 'me',
      username: 'me',
      status: 'online',
      role: 'member',
      lastReadSeq: 0,
      lastDeliveredSeq: 0,
    },
    {
      id: 'ana',
      username: 'ana',
      status: 'online',
      role: 'member',
      lastReadSeq: 0,
      lastDeliveredSeq: 0,
    },
  ],
  unreadCount: 0,
  unreadMentions: 0,
  memberCount: 2,
  lastReadSeq: 0,
  lastRev: 0,
  createdAt: '2024-01-01T00:00:00.000Z',
  lastActivityAt: '2024-01-01T00:00:00.000Z',
};

/** The same pair, end-to-end encrypted. */
const secret: ConversationView = { ...conversation, id: 'c2', encrypted: true };

const sealed = (n: number) => ({
  senderDeviceId: 7,
  envelopes: [{ userId: 'ana', deviceId: 1, type: 3 as const, body: `Y2lwaGVy${n}` }],
});

function serverMessage(
  payload: Record<string, unknown>,
  seq: number,
  senderId = 'me',
): MessageView {
  return {
    id: `m${seq}`,
    conversationId: String(payload['conversationId'] ?? 'c1'),
    seq,
    senderId,
    content: String(payload['content'] ?? ''),
    type: 'text',
    clientId: String(payload['clientId'] ?? `k${seq}`),
    createdAt: new Date().toISOString(),
    rev: seq,
    reactions: [],
    mentions: [],
  };
}

async function settle(): Promise<void> {
  for (let i = 0; i < 20; i++) await Promise.resolve();
}

describe('ChatSession', () => {
  let listFails = false;
  /** Set: the list answers only when the test says so. */
  let pendingList: Subject<ConversationView[]> | null = null;
  let realtime: FakeRealtime;
  let session: ChatSession;
  let outbox: OutboxService;
  const self = { id: 'me', username: 'me', status: 'online' as const, email: 'me@example.com' };
  const updateUser = jest.fn();
  const encryptFor = jest.fn();
  const forgetDevices = jest.fn(async () => undefined);
  const checkPeer = jest.fn(async () => undefined);

  beforeEach(() => {
    localStorage.clear();
    encryptFor.mockReset();
    forgetDevices.mockClear();
    checkPeer.mockClear();
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
          provide: E2eDeviceService,
          useValue: { start: jest.fn(), stop: jest.fn(), recheck: async () => false },
        },
        { provide: E2eCipherService, useValue: { encryptFor, forgetDevices } },
        { provide: VerificationStore, useValue: { checkPeer } },
        {
          provide: AuthStore,
          useValue: {
            token: () => 'tok',
            userId: () => 'me',
            isLoggedIn: () => true,
            expire: jest.fn(),
            refreshUser: jest.fn(),
            user: () => self,
            updateUser,
          },
        },
        {
          provide: ConversationsApi,
          useValue: {
            list: () =>
              pendingList
                ? pendingList.asObservable()
                : listFails
                  ? throwError(() => new HttpErrorResponse({ status: 0, statusText: 'offline' }))
                  : of([conversation, secret]),
            messages: () => of([]),
          },
        },
      ],
    });
    session = TestBed.inject(ChatSession);
    outbox = TestBed.inject(OutboxService);
    session.start();
  });

  afterEach(() => {
    session.stop(true);
    jest.useRealTimers();
  });

  it('loads a list that failed to load (offline at start) once the socket connects', async () => {
    session.stop(true);
    listFails = true;
    session.start();
    await settle();
    const conversations = TestBed.inject(ConversationsStore);
    expect(conversations.error()).not.toBeNull();
    listFails = false;
    realtime.goOnline(true);
    await settle();
    expect(conversations.error()).toBeNull();
    expect(conversations.get('c1')).toBeTruthy();
  });

  it('keeps a message written offline and sends it once, with the same clientId, on connect', async () => {
    session.sendText('c1', '  hello  ');
    expect(outbox.entries()).toEqual([
      expect.objectContaining({ content: 'hello', status: 'queued' }),
    ]);
    expect(realtime.emits).toEqual([]);
    expect(localStorage.getItem('chat.outbox.me')).toContain('hello');

    const clientId = outbox.entries()[0].clientId;
    realtime.answer = (event, payload) =>
      event === 'message:send' ? { ok: true, message: serverMessage(payload, 1) } : { ok: true };
    realtime.goOnline(true);
    await settle();
    const sends = realtime.emits.filter((e) => e.event === 'message:send');
    expect(sends).toEqual([
      {
        event: 'message:send',
        payload: { conversationId: 'c1', clientId, type: 'text', content: 'hello' },
      },
    ]);
    expect(outbox.entries()).toEqual([]);
    expect(localStorage.getItem('chat.outbox.me')).toBeNull();
  });

  it('settles a pending message seen in message:new (ack lost) so it is not shown twice', async () => {
    session.sendText('c1', 'hi');
    const clientId = outbox.entries()[0].clientId;
    realtime.fire(
      'message:new',
      serverMessage({ conversationId: 'c1', clientId, content: 'hi' }, 1),
    );
    expect(outbox.entries()).toEqual([]);
  });

  it('sends envelopes instead of content in an encrypted conversation, and shows its own text', async () => {
    let n = 0;
    encryptFor.mockImplementation(async () => sealed(++n));
    realtime.answer = (event, payload) =>
      event === 'message:send'
        ? { ok: true, message: { ...serverMessage(payload, 1), encrypted: payload['encrypted'] } }
        : { ok: true };
    realtime.goOnline(true);
    await settle();
    session.sendText('c2', 'for your eyes');
    await settle();
    const clientId = realtime.emits.find((e) => e.event === 'message:send')?.payload['clientId'];
    expect(realtime.emits.filter((e) => e.event === 'message:send')).toEqual([
      {
        event: 'message:send',
        payload: { conversationId: 'c2', clientId, type: 'text', encrypted: sealed(1) },
      },
    ]);
    expect(encryptFor).toHaveBeenCalledWith(
      secret,
      { v: 1, text: 'for your eyes' },
      [`c:${clientId}`],
      false,
    );
    expect(outbox.entries()).toEqual([]);
    // The ack's ciphertext has no envelope for this device: the text comes from what it sent.
    const acked = TestBed.inject(ConversationsStore).get('c2')?.lastMessage;
    expect(acked && TestBed.inject(DecryptedStore).preview(acked).text).toBe('for your eyes');
  });

  it("sends a message that waited for the other person's first device once keys:changed says it exists", async () => {
    encryptFor.mockImplementation(async () => {
      throw new NoRecipientDevice('ana');
    });
    realtime.answer = (event, payload) =>
      event === 'message:send'
        ? { ok: true, message: { ...serverMessage(payload, 1), encrypted: payload['encrypted'] } }
        : { ok: true };
    realtime.goOnline(true);
    await settle();
    session.sendText('c2', 'waiting for you');
    await settle();
    expect(outbox.entries()).toMatchObject([{ status: 'failed', error: NO_RECIPIENT_DEVICE }]);
    expect(realtime.emits.filter((e) => e.event === 'message:send')).toEqual([]);

    encryptFor.mockImplementation(async () => sealed(1));
    realtime.fire('keys:changed', { userId: 'ana' });
    await settle();
    expect(realtime.emits.filter((e) => e.event === 'message:send')).toHaveLength(1);
    expect(outbox.entries()).toEqual([]);
  });

  it('never sends a message before it knows whether its conversation is encrypted', async () => {
    session.stop(true);
    pendingList = new Subject<ConversationView[]>();
    session.start();
    encryptFor.mockImplementation(async () => sealed(1));
    realtime.answer = (event, payload) =>
      event === 'message:send'
        ? { ok: true, message: { ...serverMessage(payload, 1), encrypted: payload['encrypted'] } }
        : { ok: true };
    realtime.goOnline(true);
    session.sendText('c2', 'not before the list');
    await settle();
    expect(realtime.emits.filter((e) => e.event === 'message:send')).toEqual([]);
    pendingList.next([conversation, secret]);
    pendingList.complete();
    pendingList = null;
    await settle();
    const sends = realtime.emits.filter((e) => e.event === 'message:send');
    expect(sends).toHaveLength(1);
    expect(sends[0].payload).not.toHaveProperty('content');
    expect(sends[0].payload['encrypted']).toEqual(sealed(1));
  });

  it('re-encrypts for fresh device lists on a CONFLICT ack, with the same clientId', async () => {
    let n = 0;
    encryptFor.mockImplementation(async () => sealed(++n));
    let answers = 0;
    realtime.answer = (event, payload) => {
      if (event !== 'message:send') return { ok: true };
      return ++answers === 1
        ? { ok: false, error: { code: 'CONFLICT', message: 'devices changed' } }
        : { ok: true, message: { ...serverMessage(payload, 1), encrypted: payload['encrypted'] } };
    };
    realtime.goOnline(true);
    await settle();
    session.sendText('c2', 'again');
    await settle();
    const sends = realtime.emits.filter((e) => e.event === 'message:send');
    expect(sends.map((e) => e.payload['encrypted'])).toEqual([sealed(1), sealed(2)]);
    expect(new Set(sends.map((e) => e.payload['clientId'])).size).toBe(1);
    expect(encryptFor.mock.calls.map((call) => call[3])).toEqual([false, true]);
    expect(outbox.entries()).toEqual([]);
  });

  it('marks a refused message failed instead of retrying forever', async () => {
    realtime.answer = () => ({ ok: false, error: { code: 'BAD_REQUEST', message: 'Too long' } });
    realtime.goOnline(true);
    session.sendText('c1', 'x');
    await settle();
    expect(outbox.entries()).toEqual([
      expect.objectContaining({ status: 'failed', error: 'Too long' }),
    ]);
  });

  it('acknowledges delivery of incoming messages, coalesced per conversation', async () => {
    jest.useFakeTimers();
    realtime.goOnline(true);
    await settle();
    realtime.fire('message:new', serverMessage({ conversationId: 'c1' }, 1, 'ana'));
    realtime.fire('message:new', serverMessage({ conversationId: 'c1' }, 2, 'ana'));
    jest.advanceTimersByTime(200);
    await settle();
    expect(realtime.emits.filter((e) => e.event === 'message:delivered')).toEqual([
      { event: 'message:delivered', payload: { conversationId: 'c1', messageId: 'm2' } },
    ]);
    expect(TestBed.inject(ConversationsStore).get('c1')?.unreadCount).toBe(2);
  });

  it('marks read once per newest message', async () => {
    realtime.goOnline(true);
    await settle();
    realtime.fire('message:new', serverMessage({ conversationId: 'c1' }, 3, 'ana'));
    session.markRead('c1');
    session.markRead('c1');
    expect(realtime.emits.filter((e) => e.event === 'message:read')).toEqual([
      { event: 'message:read', payload: { conversationId: 'c1', messageId: 'm3' } },
    ]);
    expect(TestBed.inject(ConversationsStore).get('c1')?.unreadCount).toBe(0);
  });

  it('throttles typing:start to once per 3 s and stops when idle', () => {
    jest.useFakeTimers();
    realtime.connected = true;
    session.typingActivity('c1');
    jest.advanceTimersByTime(1000);
    session.typingActivity('c1');
    jest.advanceTimersByTime(2100);
    session.typingActivity('c1');
    expect(realtime.emits.filter((e) => e.event === 'typing:start')).toHaveLength(2);
    jest.advanceTimersByTime(4100);
    expect(realtime.emits.filter((e) => e.event === 'typing:stop')).toHaveLength(1);
  });

  it('shows who is typing and forgets them when their message arrives', () => {
    realtime.fire('typing:start', { conversationId: 'c1', userId: 'ana' });
    const typing = TestBed.inject(TypingStore);
    expect(typing.typers('c1')).toEqual(['ana']);
    realtime.fire('message:new', serverMessage({ conversationId: 'c1' }, 4, 'ana'));
    expect(typing.typers('c1')).toEqual([]);
  });

  it('follows presence events', () => {
    realtime.fire('user:offline', { userId: 'ana', lastSeen: '2024-05-01T00:00:00.000Z' });
    const ana = TestBed.inject(ConversationsStore)
      .get('c1')
      ?.members.find((m) => m.id === 'ana');
    expect(ana).toMatchObject({ status: 'offline', lastSeen: '2024-05-01T00:00:00.000Z' });
  });

  it('merges a profile change into the members, and into my own record when it is mine', () => {
    updateUser.mockClear();
    realtime.fire('user:updated', {
      id: 'ana',
      username: 'ana',
      displayName: 'Ana Lima',
      avatarUrl: null,
      statusMessage: 'Away',
    });
    const store = TestBed.inject(ConversationsStore);
    expect(store.get('c1')?.members.find((m) => m.id === 'ana')).toMatchObject({
      displayName: 'Ana Lima',
      statusMessage: 'Away',
    });
    expect(updateUser).not.toHaveBeenCalled();

    realtime.fire('user:updated', {
      id: 'me',
      username: 'me',
      displayName: 'Me Myself',
      avatarUrl: '/api/avatars/m-256.webp',
      statusMessage: null,
    });
    expect(updateUser).toHaveBeenCalledWith({
      ...self,
      displayName: 'Me Myself',
      avatarUrl: '/api/avatars/m-256.webp',
      statusMessage: null,
    });
    expect(store.get('c1')?.members.find((m) => m.id === 'me')?.displayName).toBe('Me Myself');
  });

  it('on keys:changed, forgets the device list and re-checks the peer of an encrypted chat', async () => {
    await settle();
    expect(TestBed.inject(ConversationsStore).has('c2')).toBe(true);
    realtime.fire('keys:changed', { userId: 'ana' });
    expect(forgetDevices).toHaveBeenCalledWith(['ana']);
    expect(checkPeer).toHaveBeenCalledWith('ana');
    checkPeer.mockClear();
    realtime.fire('keys:changed', { userId: 'me' });
    realtime.fire('keys:changed', { userId: 'stranger' });
    expect(forgetDevices).toHaveBeenCalledWith(['me']);
    expect(checkPeer).not.toHaveBeenCalled();
  });
});
