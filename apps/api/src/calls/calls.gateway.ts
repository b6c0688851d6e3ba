import { Logger } from '@nestjs/common';
import {
  ConnectedSocket,
  MessageBody,
  OnGatewayDisconnect,
  SubscribeMessage,
} from '@nestjs/websockets';
import type { Ack } from '@chat/shared-dto';
import { CallAnswerDto, CallIceDto, CallInviteDto, CallRefDto } from '@chat/shared-dto';
import type { Socket } from 'socket.io';
import { ChatGateway } from '../core/realtime/chat-gateway.decorator';
import { socketUser } from '../core/realtime/socket-user';
import { CallParty, CallsService } from './calls.service';

const party = (socket: Socket): CallParty => ({
  userId: socketUser(socket).id,
  socketId: socket.id,
});

/** `call:*` signalling: thin, the rules are in CallsService. */
@ChatGateway()
export class CallsGateway implements OnGatewayDisconnect {
  private readonly logger = new Logger(CallsGateway.name);

  constructor(private readonly calls: CallsService) {}

  @SubscribeMessage('call:invite')
  async invite(
    @ConnectedSocket() socket: Socket,
    @MessageBody() body: CallInviteDto,
  ): Promise<Ack> {
    await this.calls.invite(party(socket), body);
    return { ok: true };
  }

  @SubscribeMessage('call:answer')
  async answer(
    @ConnectedSocket() socket: Socket,
    @MessageBody() body: CallAnswerDto,
  ): Promise<Ack> {
    await this.calls.answer(party(socket), body);
    return { ok: true };
  }

  @SubscribeMessage('call:ice')
  async ice(@ConnectedSocket() socket: Socket, @MessageBody() body: CallIceDto): Promise<Ack> {
    await this.calls.ice(party(socket), body);
    return { ok: true };
  }

  @SubscribeMessage('call:end')
  async end(@ConnectedSocket() socket: Socket, @MessageBody() body: CallRefDto): Promise<Ack> {
    await this.calls.end(party(socket), body.callId);
    return { ok: true };
  }

  async handleDisconnect(socket: Socket): Promise<void> {
    await this.calls
      .disconnected(socket.id)
      .catch((err: Error) => this.logger.warn(`ending calls of a closed socket: ${err.message}`));
  }
}
