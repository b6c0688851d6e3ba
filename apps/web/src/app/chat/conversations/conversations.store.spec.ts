import { TestBed } from '@angular/core/testing';
import type { ConversationMemberView, ConversationView, MessageView } from '@chat/shared-dto';
import { ConversationsStore } from './conversations.store';

function member(
  id: string,
  overrides: Partial<ConversationMemberView> = {},
): ConversationMemberView {
  return {
    id,
    username: id,
    status: 'offline',
    role: 'member',
    lastReadSeq: 0,
    lastDeliveredSeq: 0,
    ...overrides,
  };
}

function conversation(
  id: string,
  lastActivityAt: string,
  overrides: Partial<ConversationView> = {},
): ConversationView {
  return {
    encrypted: false,
    id,
    type: 'direct',
    members: [member('me'), member('ana')],
    unreadCount: 0,
    unreadMentions: 0,
    memberCount: 2,
    lastReadSeq: 0,
    lastRev: 0,
    createdAt: '2024-01-01T00:00:00.000Z',
    lastActivityAt,
    ...overrides,
  };
}

function message(seq: number, senderId = 'ana', conversationId = 'c1'): MessageView {
  return {
    id: `m${seq}`,
    conversationId,
    seq,
    senderId,
    content: 'x',
    type: 'text',
    clientId: `k${seq}`,
    createdAt: `2024-02-01T00:00:0${seq}.000Z`,
    rev: seq,
    reactions: [],
    mentions: [],
  };
}

describe('ConversationsStore', () => {
  let store: ConversationsStore;

  beforeEach(() => {
    TestBed.configureTestingModule({ providers: [ConversationsStore] });
    store = TestBed.inject(ConversationsStore);
    store.setAll([
      conversation('c1', '2024-01-02T00:00:00.000Z'),
      conversation('c2', '2024-01-03T00:00:00.000Z'),
    ]);
  });

  it('sorts by latest activity and moves a conversation up when a message arrives', () => {
    expect(store.conversations().map((c) => c.id)).toEqual(['c2', 'c1']);
    store.applyMessage(message(1), 'me', true);
    expect(store.conversations().map((c) => c.id)).toEqual(['c1', 'c2']);
  });

  it('counts an incoming message as unread once, however often it arrives', () => {
    store.applyMessage(message(1), 'me', true);
    store.applyMessage(message(1), 'me', true);
    store.applyMessage(message(2), 'me', true);
    expect(store.get('c1')?.unreadCount).toBe(2);
    expect(store.totalUnread()).toBe(2);
  });

  it('never counts own messages, and treats them as read', () => {
    store.applyMessage(message(3, 'me'), 'me', true);
    expect(store.get('c1')).toMatchObject({ unreadCount: 0, lastReadSeq: 3 });
  });

  it('reports an unknown conversation so the list can be refreshed', () => {
    expect(store.applyMessage(message(1, 'ana', 'new'), 'me', true)).toBe(false);
  });

  it('moves watermarks on receipts and clears the badge when read locally', () => {
    store.applyMessage(message(1), 'me', true);
    store.applyReceipt(
      { conversationId: 'c1', messageId: 'm1', seq: 1, userId: 'ana', at: '' },
      'read',
      'me',
    );
    expect(store.get('c1')?.members.find((m) => m.id === 'ana')).toMatchObject({
      lastReadSeq: 1,
      lastDeliveredSeq: 1,
    });
    store.markReadLocal('c1', 1, 'me');
    expect(store.get('c1')).toMatchObject({ unreadCount: 0, lastReadSeq: 1 });
    expect(store.ownWatermarks('c1', 'me')).toEqual({ delivered: 1, read: 1 });
  });

  it('follows presence in every conversation of that user', () => {
    store.setPresence('ana', 'online');
    expect(store.get('c1')?.members.find((m) => m.id === 'ana')?.status).toBe('online');
    expect(store.get('c2')?.members.find((m) => m.id === 'ana')?.status).toBe('online');
    store.setPresence('ana', 'offline', '2024-03-01T00:00:00.000Z');
    expect(store.get('c2')?.members.find((m) => m.id === 'ana')).toMatchObject({
      status: 'offline',
      lastSeen: '2024-03-01T00:00:00.000Z',
    });
  });

  it('merges a changed profile into every conversation of that user, and only into theirs', () => {
    store.setPresence('ana', 'online');
    const before = store.get('c1')?.members.find((m) => m.id === 'me');
    store.applyProfile({
      id: 'ana',
      username: 'ana',
      displayName: 'Ana Lima',
      avatarUrl: '/api/avatars/a-256.webp',
      statusMessage: null,
    });
    for (const id of ['c1', 'c2']) {
      expect(store.get(id)?.members.find((m) => m.id === 'ana')).toMatchObject({
        displayName: 'Ana Lima',
        avatarUrl: '/api/avatars/a-256.webp',
        statusMessage: null,
        // Presence and watermarks are not part of a profile: they stay.
        status: 'online',
        role: 'member',
        lastReadSeq: 0,
      });
    }
    expect(store.get('c1')?.members.find((m) => m.id === 'me')).toBe(before);
  });

  it('keeps watermarks and the last message from going back on a stale refresh', () => {
    store.applyMessage(message(5), 'me', true);
    store.applyReceipt(
      { conversationId: 'c1', messageId: 'm5', seq: 5, userId: 'ana', at: '' },
      'delivered',
      'me',
    );
    store.upsert(conversation('c1', '2024-01-02T00:00:00.000Z', { lastMessage: message(4) }));
    expect(store.get('c1')?.lastMessage?.seq).toBe(5);
    expect(store.get('c1')?.members.find((m) => m.id === 'ana')?.lastDeliveredSeq).toBe(5);
  });
});
