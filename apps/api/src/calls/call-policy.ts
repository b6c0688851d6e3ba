import { Injectable } from '@nestjs/common';
import { MembershipService } from '../conversations/membership.service';
import { BlocksService } from '../users/blocks.service';

/**
 * Who may call whom: both members of the direct conversation, and neither has blocked the
 * other (a blocked user cannot ring the blocker, and the blocker does not call them either,
 * as in WhatsApp).
 */
@Injectable()
export class CallPolicy {
  constructor(
    private readonly membership: MembershipService,
    private readonly blocks: BlocksService,
  ) {}

  async mayCall(callerId: string, calleeId: string, conversationId: string): Promise<boolean> {
    const members = await this.membership.members(conversationId);
    if (!members.has(callerId) || !members.has(calleeId)) return false;
    const [blockers, blocked] = await Promise.all([
      this.blocks.blockersOf(callerId, [calleeId]),
      this.blocks.blockedBy(callerId, [calleeId]),
    ]);
    return blockers.size === 0 && blocked.size === 0;
  }
}
