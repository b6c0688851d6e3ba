import { UseFilters, UsePipes } from '@nestjs/common';
import {
  ConnectedSocket,
  MessageBody,
  SubscribeMessage,
  WebSocketGateway,
} from '@nestjs/websockets';
import type { Ack } from '@chat/shared-dto';
import { ConversationRefDto } from '@chat/shared-dto';
import type { Socket } from 'socket.io';
import { socketUser } from '../core/realtime/socket-user';
import { AckExceptionFilter } from '../core/realtime/ws-exception.filter';
import { wsValidationPipe } from '../core/realtime/ws-validation.pipe';
import { TypingService } from './typing.service';

@WebSocketGateway()
@UsePipes(wsValidationPipe)
@UseFilters(new AckExceptionFilter())
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
