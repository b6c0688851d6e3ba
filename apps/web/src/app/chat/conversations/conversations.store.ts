import { Injectable, computed, signal } from '@angular/core';
import type {
  ConversationView,
  MessageView,
  PresenceStatus,
  ReceiptEvent,
  UserUpdatedEvent,
} from '@chat/shared-dto';
import { applyReceipt } from '../messages/receipts';

interface State {
  items: ReadonlyMap<string, ConversationView>;
  loaded: boolean;
  error: string | null;
}

function activity(conversation: ConversationView): string {
  const last = conversation.lastMessage?.createdAt ?? '';
  const stated = conversation.lastActivityAt ?? conversation.createdAt;
  return last > stated ? last : stated;
}

/** The newer of two last messages (by seq). */
function newerMessage(
  a: MessageView | null | undefined,
  b: MessageView | null | undefined,
): MessageView | null | undefined {
  if (!a) return b;
  if (!b) return a;
  if (a.seq === b.seq) return b.rev >= a.rev ? b : a;
  return b.seq > a.seq ? b : a;
}

/** The user's conversations, newest activity first, kept live by socket events. */
@Injectable()
export class ConversationsStore {
  private readonly state = signal<State>({ items: new Map(), loaded: false, error: null });
  private readonly active = signal<string | null>(null);

  readonly loaded = computed(() => this.state().loaded);
  readonly error = computed(() => this.state().error);
  readonly activeId = this.active.asReadonly();
  readonly conversations = computed(() =>
    [...this.state().items.values()].sort((a, b) => activity(b).localeCompare(activity(a))),
  );
  readonly totalUnread = computed(() =>
    this.conversations().reduce((sum, conversation) => sum + (conversation.unreadCount || 0), 0),
  );
  readonly activeConversation = computed(() => {
    const id = this.active();
    return id ? (this.state().items.get(id) ?? null) : null;
  });

  get(id: string): ConversationView | null {
    return this.state().items.get(id) ?? null;
  }

  has(id: string): boolean {
    return this.state().items.has(id);
  }

  ids(): string[] {
    return [...this.state().items.keys()];
  }

  setActive(id: string | null): void {
    this.active.set(id);
  }

  setAll(list: readonly ConversationView[]): void {
    const items = new Map<string, ConversationView>();
    const current = this.state().items;
    for (const conversation of list) {
      const known = current.get(conversation.id);
      items.set(conversation.id, known ? this.reconcile(known, conversation) : conversation);
    }
    this.state.set({ items, loaded: true, error: null });
  }

  setError(error: string): void {
    this.state.update((state) => ({ ...state, error }));
  }

  upsert(conversation: ConversationView): void {
    this.patchItems((items) => {
      const known = items.get(conversation.id);
      items.set(conversation.id, known ? this.reconcile(known, conversation) : conversation);
    });
  }

  remove(id: string): void {
    this.patchItems((items) => items.delete(id));
  }

  /**
   * A message was sent or received. Returns false when the conversation is unknown (the caller
   * should refresh the list). Unread grows only for others' messages newer than what is known,
   * so a duplicate event never counts twice.
   */
  applyMessage(message: MessageView, selfId: string | null, countUnread: boolean): boolean {
    const conversation = this.get(message.conversationId);
    if (!conversation) return false;
    const knownSeq = conversation.lastMessage?.seq ?? 0;
    if (message.seq <= knownSeq) return true;
    const own = message.senderId === selfId;
    const counts = !own && countUnread && message.seq > conversation.lastReadSeq;
    const unreadCount = counts ? conversation.unreadCount + 1 : conversation.unreadCount;
    const mentionsMe = counts && selfId !== null && message.mentions.includes(selfId);
    const unreadMentions = (conversation.unreadMentions ?? 0) + (mentionsMe ? 1 : 0);
    const lastActivityAt =
      message.createdAt > (conversation.lastActivityAt ?? '')
        ? message.createdAt
        : conversation.lastActivityAt;
    let members = conversation.members;
    let lastReadSeq = conversation.lastReadSeq;
    if (own) {
      // Writing a message means having read everything before it.
      lastReadSeq = Math.max(lastReadSeq, message.seq);
      members = applyReceipt(members, { userId: message.senderId, seq: message.seq }, 'read');
    }
    this.replace({
      ...conversation,
      lastMessage: message,
      lastActivityAt,
      unreadCount,
      unreadMentions,
      lastReadSeq,
      members,
    });
    return true;
  }

  /**
   * An edit, a tombstone or a reaction change: the preview follows when it is the last message,
   * and unread counts as the server keeps them (tombstones are not unread; mentions follow the
   * new text). `previous` is the copy this device held, when it held one.
   */
  applyUpdate(message: MessageView, previous: MessageView | null, selfId: string | null): void {
    const conversation = this.get(message.conversationId);
    if (!conversation) return;
    const last = conversation.lastMessage;
    const isLast = last?.id === message.id && message.rev > last.rev;
    const wasDeleted = previous
      ? Boolean(previous.deletedAt)
      : last?.id === message.id && Boolean(last.deletedAt);
    const unread = message.senderId !== selfId && message.seq > conversation.lastReadSeq;
    let { unreadCount } = conversation;
    let unreadMentions = conversation.unreadMentions ?? 0;
    if (unread && message.deletedAt && !wasDeleted) unreadCount = Math.max(0, unreadCount - 1);
    if (unread && previous && selfId) {
      const before = !previous.deletedAt && previous.mentions.includes(selfId);
      const now = !message.deletedAt && message.mentions.includes(selfId);
      if (before !== now) unreadMentions = Math.max(0, unreadMentions + (now ? 1 : -1));
    }
    if (
      !isLast &&
      unreadCount === conversation.unreadCount &&
      unreadMentions === conversation.unreadMentions
    )
      return;
    this.replace({
      ...conversation,
      lastMessage: isLast ? message : last,
      unreadCount,
      unreadMentions,
    });
  }

  /** A member's delivered/read watermark moved. */
  applyReceipt(event: ReceiptEvent, kind: 'delivered' | 'read', selfId: string | null): void {
    const conversation = this.get(event.conversationId);
    if (!conversation) return;
    const members = applyReceipt(conversation.members, event, kind);
    let { lastReadSeq, unreadCount } = conversation;
    if (event.userId === selfId && kind === 'read' && event.seq > lastReadSeq) {
      lastReadSeq = event.seq;
      unreadCount = (conversation.lastMessage?.seq ?? 0) <= event.seq ? 0 : unreadCount;
    }
    if (members === conversation.members && lastReadSeq === conversation.lastReadSeq) return;
    const unreadMentions = unreadCount ? conversation.unreadMentions : 0;
    this.replace({ ...conversation, members, lastReadSeq, unreadCount, unreadMentions });
  }

  /** The user read up to `seq` here (optimistic, before the ack). */
  markReadLocal(
    conversationId: string,
    seq: number,
    selfId: string | null,
    remainingUnread = 0,
  ): void {
    const conversation = this.get(conversationId);
    if (!conversation) return;
    const members = selfId
      ? applyReceipt(conversation.members, { userId: selfId, seq }, 'read')
      : conversation.members;
    this.replace({
      ...conversation,
      members,
      lastReadSeq: Math.max(conversation.lastReadSeq, seq),
      unreadCount: remainingUnread,
      unreadMentions: remainingUnread ? conversation.unreadMentions : 0,
    });
  }

  markDeliveredLocal(conversationId: string, seq: number, selfId: string | null): void {
    const conversation = this.get(conversationId);
    if (!conversation || !selfId) return;
    const members = applyReceipt(conversation.members, { userId: selfId, seq }, 'delivered');
    if (members !== conversation.members) this.replace({ ...conversation, members });
  }

  /** Someone came online or went offline: every conversation showing them follows. */
  setPresence(userId: string, status: PresenceStatus, lastSeen?: string | null): void {
    this.patchItems((items) => {
      for (const [id, conversation] of items) {
        if (!conversation.members.some((member) => member.id === userId)) continue;
        items.set(id, {
          ...conversation,
          members: conversation.members.map((member) =>
            member.id === userId
              ? {
                  ...member,
                  status,
                  lastSeen:
                    lastSeen ?? (status === 'offline' ? new Date().toISOString() : member.lastSeen),
                }
              : member,
          ),
        });
      }
    });
  }

  /** Someone changed their name, status or picture: every conversation showing them follows. */
  applyProfile(user: UserUpdatedEvent): void {
    const { id, username, displayName, avatarUrl, statusMessage } = user;
    this.patchItems((items) => {
      for (const [key, conversation] of items) {
        if (!conversation.members.some((member) => member.id === id)) continue;
        items.set(key, {
          ...conversation,
          members: conversation.members.map((member) =>
            member.id === id
              ? { ...member, username, displayName, avatarUrl, statusMessage }
              : member,
          ),
        });
      }
    });
  }

  /** My own watermark as the server last told it (0 when unknown). */
  ownWatermarks(
    conversationId: string,
    selfId: string | null,
  ): { delivered: number; read: number } {
    const conversation = this.get(conversationId);
    const me = conversation?.members.find((member) => member.id === selfId);
    return {
      delivered: Math.max(
        me?.lastDeliveredSeq ?? 0,
        me?.lastReadSeq ?? 0,
        conversation?.lastReadSeq ?? 0,
      ),
      read: Math.max(me?.lastReadSeq ?? 0, conversation?.lastReadSeq ?? 0),
    };
  }

  reset(): void {
    this.state.set({ items: new Map(), loaded: false, error: null });
    this.active.set(null);
  }

  /** A fresher server copy wins, but watermarks and the last message never go backwards. */
  private reconcile(known: ConversationView, incoming: ConversationView): ConversationView {
    const members = incoming.members.map((member) => {
      const old = known.members.find((m) => m.id === member.id);
      if (!old) return member;
      return {
        ...member,
        lastReadSeq: Math.max(member.lastReadSeq ?? 0, old.lastReadSeq ?? 0),
        lastDeliveredSeq: Math.max(member.lastDeliveredSeq ?? 0, old.lastDeliveredSeq ?? 0),
      };
    });
    const lastMessage = newerMessage(known.lastMessage, incoming.lastMessage);
    return { ...incoming, members, lastMessage };
  }

  private replace(conversation: ConversationView): void {
    this.patchItems((items) => items.set(conversation.id, conversation));
  }

  private patchItems(mutate: (items: Map<string, ConversationView>) => void): void {
    this.state.update((state) => {
      const items = new Map(state.items);
      mutate(items);
      return { ...state, items };
    });
  }
}
