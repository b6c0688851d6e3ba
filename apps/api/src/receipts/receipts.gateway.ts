import { UseFilters, UsePipes } from '@nestjs/common';
import {
  ConnectedSocket,
  MessageBody,
  SubscribeMessage,
  WebSocketGateway,
} from '@nestjs/websockets';
import type { Ack } from '@chat/shared-dto';
import { ReceiptDto } from '@chat/shared-dto';
import type { Socket } from 'socket.io';
import { socketUser } from '../core/realtime/socket-user';
import { AckExceptionFilter } from '../core/realtime/ws-exception.filter';
import { wsValidationPipe } from '../core/realtime/ws-validation.pipe';
import { ReceiptsService } from './receipts.service';

@WebSocketGateway()
@UsePipes(wsValidationPipe)
@UseFilters(new AckExceptionFilter())
export class ReceiptsGateway {
  constructor(private readonly receipts: ReceiptsService) {}

  @SubscribeMessage('message:delivered')
  async delivered(
    @ConnectedSocket() socket: Socket,
    @MessageBody() body: ReceiptDto,
  ): Promise<Ack> {
    await this.receipts.mark(
      'delivered',
      socketUser(socket).id,
      body.conversationId,
      body.messageId,
    );
    return { ok: true };
  }

  @SubscribeMessage('message:read')
  async read(@ConnectedSocket() socket: Socket, @MessageBody() body: ReceiptDto): Promise<Ack> {
    await this.receipts.mark('read', socketUser(socket).id, body.conversationId, body.messageId);
    return { ok: true };
  }
}
