import { Injectable } from '@nestjs/common';
import { MembershipService } from '../conversations/membership.service';

/**
 * Who may call whom: the one place the blocking feature plugs into ("a blocked user cannot
 * call the blocker"). Today both must be members of the direct conversation.
 */
@Injectable()
export class CallPolicy {
  constructor(private readonly membership: MembershipService) {}

  async mayCall(callerId: string, calleeId: string, conversationId: string): Promise<boolean> {
    const members = await this.membership.members(conversationId);
    return members.has(callerId) && members.has(calleeId);
  }
}
