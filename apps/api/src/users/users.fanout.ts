import { Injectable } from '@nestjs/common';
import { MembershipService } from '../conversations/membership.service';
import { OnDomainEvent } from '../core/events/domain-events';
import { Broadcaster } from '../core/realtime/broadcaster';
import { PROFILE_CHANGED, ProfileChangedEvent } from './user.events';
import { UsersRepository } from './users.repository';

/** `user:updated` to everyone who shares a conversation with the user, and their own devices. */
@Injectable()
export class UsersFanout {
  constructor(
    private readonly broadcaster: Broadcaster,
    private readonly users: UsersRepository,
    private readonly membership: MembershipService,
  ) {}

  @OnDomainEvent(PROFILE_CHANGED)
  async changed({ userId }: ProfileChangedEvent): Promise<void> {
    const [user, contacts] = await Promise.all([
      this.users.findById(userId),
      this.membership.contactsOf(userId),
    ]);
    if (!user) return;
    const { id, username, displayName, avatarUrl, statusMessage } = user;
    this.broadcaster.toUsers([userId, ...contacts], 'user:updated', {
      id,
      username,
      displayName,
      avatarUrl,
      statusMessage,
    });
  }
}
