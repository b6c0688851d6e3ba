import { Injectable } from '@nestjs/common';
import { MembershipService } from '../conversations/membership.service';
import { OnDomainEvent } from '../core/events/domain-events';
import { Broadcaster } from '../core/realtime/broadcaster';
import { PROFILE_CHANGED, ProfileChangedEvent } from './user.events';
import { UsersRepository } from './users.repository';

/**
 * `user:updated` to everyone who shares a conversation with the user (their conversations'
 * rooms) and to their own devices.
 */
@Injectable()
export class UsersFanout {
  constructor(
    private readonly broadcaster: Broadcaster,
    private readonly users: UsersRepository,
    private readonly membership: MembershipService,
  ) {}

  @OnDomainEvent(PROFILE_CHANGED)
  async changed({ userId }: ProfileChangedEvent): Promise<void> {
    const [user, conversationIds] = await Promise.all([
      this.users.findById(userId),
      this.membership.conversationIdsOf(userId),
    ]);
    if (!user) return;
    const { id, username, displayName, avatarUrl, statusMessage } = user;
    const profile = { id, username, displayName, avatarUrl, statusMessage };
    this.broadcaster.toConversations(conversationIds, 'user:updated', profile, {
      userIds: [userId],
    });
    this.broadcaster.toUsers([userId], 'user:updated', profile);
  }
}
