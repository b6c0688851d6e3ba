import { Injectable } from '@nestjs/common';
import { OnDomainEvent } from '../core/events/domain-events';
import { Broadcaster } from '../core/realtime/broadcaster';
import {
  CONVERSATION_CHANGED,
  ConversationChangedEvent,
  MEMBER_REMOVED,
  MemberRemovedEvent,
} from './conversation.events';
import { ConversationsService } from './conversations.service';

/** Tells members' devices about conversations they joined, or that changed or dropped them. */
@Injectable()
export class ConversationsFanout {
  constructor(
    private readonly conversations: ConversationsService,
    private readonly broadcaster: Broadcaster,
  ) {}

  /** Each member gets the conversation as they see it (their own unread count and watermark). */
  @OnDomainEvent(CONVERSATION_CHANGED)
  async changed(event: ConversationChangedEvent): Promise<void> {
    for (const memberId of event.memberIds) {
      const view = await this.conversations.view(event.conversationId, memberId).catch(() => null);
      if (view) this.broadcaster.toUsers([memberId], 'conversation:updated', view);
    }
  }

  @OnDomainEvent(MEMBER_REMOVED)
  removed(event: MemberRemovedEvent): void {
    this.broadcaster.toUsers([event.userId], 'conversation:removed', {
      conversationId: event.conversationId,
    });
  }
}
