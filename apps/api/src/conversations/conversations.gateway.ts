import { Logger } from '@nestjs/common';
import {
  ConnectedSocket,
  MessageBody,
  OnGatewayConnection,
  SubscribeMessage,
} from '@nestjs/websockets';
import type { Ack } from '@chat/shared-dto';
import { ConversationRefDto } from '@chat/shared-dto';
import type { Socket } from 'socket.io';
import { ChatGateway } from '../core/realtime/chat-gateway.decorator';
import { socketUser } from '../core/realtime/socket-user';
import { ConversationRooms } from './conversation-rooms';
import { MembershipService } from './membership.service';

@ChatGateway()
export class ConversationsGateway implements OnGatewayConnection {
  private readonly logger = new Logger(ConversationsGateway.name);

  constructor(
    private readonly membership: MembershipService,
    private readonly rooms: ConversationRooms,
  ) {}

  handleConnection(socket: Socket): void {
    this.rooms.connected(socket).catch((err: Error) => this.logger.warn(err.message));
  }

  /**
   * Kept for the contract; delivery never depends on it (every socket is in its conversations'
   * rooms from the moment it connects), so it only confirms that the caller is a member.
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
