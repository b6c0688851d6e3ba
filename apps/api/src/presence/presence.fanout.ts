import { Injectable } from '@nestjs/common';
import { OnDomainEvent } from '../core/events/domain-events';
import { Broadcaster } from '../core/realtime/broadcaster';
import { PRESENCE_CHANGED, PresenceChangedEvent } from './presence.events';

@Injectable()
export class PresenceFanout {
  constructor(private readonly broadcaster: Broadcaster) {}

  @OnDomainEvent(PRESENCE_CHANGED)
  changed(event: PresenceChangedEvent): void {
    if (event.online)
      this.broadcaster.toUsers(event.notify, 'user:online', { userId: event.userId });
    else
      this.broadcaster.toUsers(event.notify, 'user:offline', {
        userId: event.userId,
        lastSeen: event.lastSeen,
      });
  }
}
