import { Injectable } from '@nestjs/common';
import { MembershipService } from '../conversations/membership.service';
import { OnDomainEvent } from '../core/events/domain-events';
import { Broadcaster } from '../core/realtime/broadcaster';
import { DEVICES_CHANGED, DevicesChangedEvent } from './keys.events';

/**
 * `keys:changed` to everyone who shares a conversation with the user and to their own devices:
 * clients then encrypt for the new device list and re-check the safety number at once, instead
 * of on the next CONFLICT or the next time the conversation opens.
 */
@Injectable()
export class KeysFanout {
  constructor(
    private readonly broadcaster: Broadcaster,
    private readonly membership: MembershipService,
  ) {}

  @OnDomainEvent(DEVICES_CHANGED)
  async changed({ userId }: DevicesChangedEvent): Promise<void> {
    const conversationIds = await this.membership.conversationIdsOf(userId);
    this.broadcaster.toConversations(
      conversationIds,
      'keys:changed',
      { userId },
      { userIds: [userId] },
    );
    this.broadcaster.toUsers([userId], 'keys:changed', { userId });
  }
}
