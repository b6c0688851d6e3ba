import { Injectable } from '@nestjs/common';
import { MembershipService } from '../conversations/membership.service';
import { OnDomainEvent } from '../core/events/domain-events';
import { Broadcaster } from '../core/realtime/broadcaster';
import { BLOCK_CHANGED, BlockChangedEvent } from './block.events';
import { UsersRepository } from './users.repository';

/**
 * The blocked user's clients stop showing the blocker online at once; after an unblock a
 * contact who is online shows so again.
 */
@Injectable()
export class BlocksFanout {
  constructor(
    private readonly broadcaster: Broadcaster,
    private readonly users: UsersRepository,
    private readonly membership: MembershipService,
  ) {}

  @OnDomainEvent(BLOCK_CHANGED)
  async changed({ blockerId, blockedId, blocked }: BlockChangedEvent): Promise<void> {
    if (blocked) {
      this.broadcaster.toUsers([blockedId], 'user:offline', { userId: blockerId });
      return;
    }
    const [blocker, sharing] = await Promise.all([
      this.users.findById(blockerId),
      this.membership.sharingWith(blockedId, [blockerId]),
    ]);
    if (blocker?.status === 'online' && sharing.has(blockerId))
      this.broadcaster.toUsers([blockedId], 'user:online', { userId: blockerId });
  }
}
