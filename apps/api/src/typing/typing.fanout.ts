import { Injectable } from '@nestjs/common';
import { OnDomainEvent } from '../core/events/domain-events';
import { Broadcaster } from '../core/realtime/broadcaster';
import { TYPING_CHANGED, TypingChangedEvent } from './typing.events';

@Injectable()
export class TypingFanout {
  constructor(private readonly broadcaster: Broadcaster) {}

  @OnDomainEvent(TYPING_CHANGED)
  changed(event: TypingChangedEvent): void {
    const { conversationId, userId } = event;
    this.broadcaster.toConversation(
      conversationId,
      event.typing ? 'typing:start' : 'typing:stop',
      { conversationId, userId },
      { userIds: event.except },
    );
  }
}
