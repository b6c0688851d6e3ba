import { Injectable } from '@nestjs/common';
import { OnDomainEvent } from '../core/events/domain-events';
import { Broadcaster } from '../core/realtime/broadcaster';
import { PRESENCE_CHANGED, PresenceChangedEvent } from './presence.events';

@Injectable()
export class PresenceFanout {
  constructor(private readonly broadcaster: Broadcaster) {}

  @OnDomainEvent(PRESENCE_CHANGED)
  changed(event: PresenceChangedEvent): void {
    const except = { userIds: event.except };
    if (event.online)
      this.broadcaster.toConversations(
        event.conversationIds,
        'user:online',
        { userId: event.userId },
        except,
      );
    else
      this.broadcaster.toConversations(
        event.conversationIds,
        'user:offline',
        { userId: event.userId, lastSeen: event.lastSeen },
        except,
      );
  }
}
