/** Domain events of the conversations module, emitted after commit. */
export const CONVERSATION_CHANGED = 'conversation.changed';
export const MEMBERS_ADDED = 'member.added';
export const MEMBER_REMOVED = 'member.removed';

/** A conversation was created, renamed, or its members or roles changed. */
export interface ConversationChangedEvent {
  conversationId: string;
  /** Who should hear about it: its members after the change. */
  memberIds: string[];
}

export interface MembersAddedEvent {
  conversationId: string;
  userIds: string[];
}

/** A member was removed or left. */
export interface MemberRemovedEvent {
  conversationId: string;
  userId: string;
}

declare module '../core/events/domain-events' {
  interface DomainEventMap {
    [CONVERSATION_CHANGED]: ConversationChangedEvent;
    [MEMBERS_ADDED]: MembersAddedEvent;
    [MEMBER_REMOVED]: MemberRemovedEvent;
  }
}
