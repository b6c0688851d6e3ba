import { TestBed } from '@angular/core/testing';
import type { ConversationMemberView, ConversationView, MessageView } from '@chat/shared-dto';
import { ConversationsStore } from './conversations.store';

function member(id: string): ConversationMemberView {
  return {
    id,
    username: id,
    status: 'offline',
    role: 'member',
    lastReadSeq: 0,
    lastDeliveredSeq: 0,
  };
}

function message(seq: number, overrides: Partial<MessageView> = {}): MessageView {
  return {
    id: `m${seq}`,
    conversationId: 'c1',
    seq,
    senderId: 'ana',
    content: `text ${seq}`,
    type: 'text',
    clientId: `k${seq}`,
    createdAt: `2024-02-01T00:00:0${seq}.000Z`,
    rev: seq,
    reactions: [],
    mentions: [],
    ...overrides,
  };
}

function conversation(overrides: Partial<ConversationView> = {}): ConversationView {
  return {
    encrypted: false,
    id: 'c1',
    type: 'group',
    name: 'Team',
    members: [member('me'), member('ana')],
    unreadCount: 0,
    unreadMentions: 0,
    memberCount: 2,
    lastReadSeq: 0,
    lastRev: 0,
    createdAt: '2024-01-01T00:00:00.000Z',
    lastActivityAt: '2024-01-01T00:00:00.000Z',
    ...overrides,
  };
}

describe('ConversationsStore: edits, tombstones and mentions', () => {
  let store: ConversationsStore;

  beforeEach(() => {
    TestBed.configureTestingModule({ providers: [ConversationsStore] });
    store = TestBed.inject(ConversationsStore);
  });

  it('updates the preview when the last message is edited or deleted, not for older ones', () => {
    store.setAll([conversation({ lastMessage: message(3), lastReadSeq: 3 })]);
    store.applyUpdate(message(2, { content: 'older edit', rev: 7 }), null, 'me');
    expect(store.get('c1')?.lastMessage?.content).toBe('text 3');
    store.applyUpdate(message(3, { content: 'fixed', rev: 8 }), null, 'me');
    expect(store.get('c1')?.lastMessage?.content).toBe('fixed');
    store.applyUpdate(
      message(3, { content: '', deletedAt: '2024-02-02T00:00:00.000Z', rev: 9 }),
      null,
      'me',
    );
    expect(store.get('c1')?.lastMessage?.deletedAt).toBeTruthy();
    // A stale copy never brings the text back.
    store.applyUpdate(message(3, { content: 'fixed', rev: 8 }), null, 'me');
    expect(store.get('c1')?.lastMessage?.content).toBe('');
  });

  it('counts an unread tombstone out of the unread count once', () => {
    store.setAll([conversation({ lastMessage: message(3), unreadCount: 2, lastReadSeq: 1 })]);
    const before = message(2);
    const deleted = message(2, { content: '', deletedAt: '2024-02-02T00:00:00.000Z', rev: 9 });
    store.applyUpdate(deleted, before, 'me');
    expect(store.get('c1')?.unreadCount).toBe(1);
    store.applyUpdate(deleted, deleted, 'me');
    expect(store.get('c1')?.unreadCount).toBe(1);
  });

  it('counts unread mentions of the viewer, following edits and clearing on read', () => {
    store.setAll([conversation({ lastMessage: message(1), lastReadSeq: 1 })]);
    store.applyMessage(message(2, { mentions: ['me'] }), 'me', true);
    store.applyMessage(message(3, { mentions: ['ana'] }), 'me', true);
    expect(store.get('c1')?.unreadMentions).toBe(1);
    store.applyUpdate(
      message(3, { mentions: ['me'], rev: 10 }),
      message(3, { mentions: ['ana'] }),
      'me',
    );
    expect(store.get('c1')?.unreadMentions).toBe(2);
    store.applyUpdate(
      message(2, { mentions: [], rev: 11 }),
      message(2, { mentions: ['me'] }),
      'me',
    );
    expect(store.get('c1')?.unreadMentions).toBe(1);
    store.markReadLocal('c1', 3, 'me');
    expect(store.get('c1')?.unreadMentions).toBe(0);
  });
});
