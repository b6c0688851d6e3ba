import { ConnectedSocket, MessageBody, SubscribeMessage } from '@nestjs/websockets';
import type { Ack } from '@chat/shared-dto';
import { ReceiptDto } from '@chat/shared-dto';
import type { Socket } from 'socket.io';
import { ChatGateway } from '../core/realtime/chat-gateway.decorator';
import { socketUser } from '../core/realtime/socket-user';
import { ReceiptsService } from './receipts.service';

@ChatGateway()
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
