import { ConnectedSocket, MessageBody, SubscribeMessage } from '@nestjs/websockets';
import type { Ack } from '@chat/shared-dto';
import { ConversationRefDto } from '@chat/shared-dto';
import type { Socket } from 'socket.io';
import { ChatGateway } from '../core/realtime/chat-gateway.decorator';
import { socketUser } from '../core/realtime/socket-user';
import { MembershipService } from './membership.service';

@ChatGateway()
export class ConversationsGateway {
  constructor(private readonly membership: MembershipService) {}

  /**
   * Kept for the contract; delivery never depends on it (events go to `user:<id>` rooms), so
   * it only confirms that the caller is a member.
   */
  @SubscribeMessage('conversation:join')
  async join(
    @ConnectedSocket() socket: Socket,
    @MessageBody() body: ConversationRefDto,
  ): Promise<Ack> {
    await this.membership.assertMember(body.conversationId, socketUser(socket).id);
    return { ok: true };
  }
}
