import { ConnectedSocket, MessageBody, SubscribeMessage, WsException } from '@nestjs/websockets';
import type { Ack, MessageView } from '@chat/shared-dto';
import { SendMessageDto } from '@chat/shared-dto';
import type { Socket } from 'socket.io';
import { ChatGateway } from '../core/realtime/chat-gateway.decorator';
import { socketUser } from '../core/realtime/socket-user';
import { MessageRateLimiter } from './message-rate.limiter';
import { MessagesService } from './messages.service';

@ChatGateway()
export class MessagesGateway {
  constructor(
    private readonly messages: MessagesService,
    private readonly rate: MessageRateLimiter,
  ) {}

  /** Acks only after the message is committed; a resend with the same clientId acks the first. */
  @SubscribeMessage('message:send')
  async send(
    @ConnectedSocket() socket: Socket,
    @MessageBody() body: SendMessageDto,
  ): Promise<Ack<{ message: MessageView }>> {
    const user = socketUser(socket);
    if (!(await this.rate.take(user.id)).allowed) {
      throw new WsException({ code: 'RATE_LIMITED', message: 'Sending too fast: slow down' });
    }
    const { conversationId, ...rest } = body;
    const { message } = await this.messages.send(user.id, conversationId, rest, socket.id);
    return { ok: true, message };
  }
}
