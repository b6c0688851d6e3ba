import { Injectable } from '@nestjs/common';
import { OnDomainEvent } from '../core/events/domain-events';
import { Broadcaster } from '../core/realtime/broadcaster';
import { RealtimeServer } from '../core/realtime/realtime-server';
import {
  CONVERSATION_CHANGED,
  ConversationChangedEvent,
  MEMBER_REMOVED,
  MemberRemovedEvent,
  MEMBERS_ADDED,
  MembersAddedEvent,
} from './conversation.events';
import { ConversationsService } from './conversations.service';

/** Viewers whose views are built together: a few queries per chunk, however large the group. */
const VIEW_CHUNK = 500;

/**
 * Keeps the members' sockets in their conversations' rooms, on every instance, and tells their
 * devices about conversations they joined, or that changed or dropped them.
 */
@Injectable()
export class ConversationsFanout {
  constructor(
    private readonly conversations: ConversationsService,
    private readonly broadcaster: Broadcaster,
    private readonly realtime: RealtimeServer,
  ) {}

  /** New members' connected sockets join the room, so the next message reaches them. */
  @OnDomainEvent(MEMBERS_ADDED)
  added(event: MembersAddedEvent): void {
    this.realtime.joinConversation(event.conversationId, event.userIds);
  }

  /** Each member gets the conversation as they see it (their own unread count and watermark). */
  @OnDomainEvent(CONVERSATION_CHANGED)
  async changed(event: ConversationChangedEvent): Promise<void> {
    for (let i = 0; i < event.memberIds.length; i += VIEW_CHUNK) {
      const views = await this.conversations
        .viewsFor(event.conversationId, event.memberIds.slice(i, i + VIEW_CHUNK))
        .catch(() => new Map());
      for (const [memberId, view] of views)
        this.broadcaster.toUsers([memberId], 'conversation:updated', view);
    }
  }

  /** Out of the room first, so that nothing sent after the removal reaches their devices. */
  @OnDomainEvent(MEMBER_REMOVED)
  removed(event: MemberRemovedEvent): void {
    this.realtime.leaveConversation(event.conversationId, [event.userId]);
    this.broadcaster.toUsers([event.userId], 'conversation:removed', {
      conversationId: event.conversationId,
    });
  }
}
