import { ConnectedSocket, MessageBody, SubscribeMessage } from '@nestjs/websockets';
import type { Ack } from '@chat/shared-dto';
import { ConversationRefDto } from '@chat/shared-dto';
import type { Socket } from 'socket.io';
import { ChatGateway } from '../core/realtime/chat-gateway.decorator';
import { socketUser } from '../core/realtime/socket-user';
import { TypingService } from './typing.service';

@ChatGateway()
export class TypingGateway {
  constructor(private readonly typing: TypingService) {}

  @SubscribeMessage('typing:start')
  async start(
    @ConnectedSocket() socket: Socket,
    @MessageBody() body: ConversationRefDto,
  ): Promise<Ack> {
    await this.typing.start(socketUser(socket).id, body.conversationId);
    return { ok: true };
  }

  @SubscribeMessage('typing:stop')
  async stop(
    @ConnectedSocket() socket: Socket,
    @MessageBody() body: ConversationRefDto,
  ): Promise<Ack> {
    await this.typing.stop(socketUser(socket).id, body.conversationId);
    return { ok: true };
  }
}
