import { ConnectedSocket, MessageBody, SubscribeMessage, WsException } from '@nestjs/websockets';
import type { Ack, MessageView } from '@chat/shared-dto';
import {
  EditMessageDto,
  EncryptedReactionDto,
  MessageRefDto,
  ReactionDto,
  SendMessageDto,
} from '@chat/shared-dto';
import type { Socket } from 'socket.io';
import { ChatGateway } from '../core/realtime/chat-gateway.decorator';
import { socketUser } from '../core/realtime/socket-user';
import { MessageLifecycleService } from './message-lifecycle.service';
import { MessageRateLimiter } from './message-rate.limiter';
import { MessagesService } from './messages.service';

@ChatGateway()
export class MessagesGateway {
  constructor(
    private readonly messages: MessagesService,
    private readonly rate: MessageRateLimiter,
    private readonly lifecycle: MessageLifecycleService,
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

  @SubscribeMessage('message:edit')
  async edit(
    @ConnectedSocket() socket: Socket,
    @MessageBody() body: EditMessageDto,
  ): Promise<Ack<{ message: MessageView }>> {
    const { conversationId, messageId, ...change } = body;
    const message = await this.lifecycle.edit(
      socketUser(socket).id,
      conversationId,
      messageId,
      change,
    );
    return { ok: true, message };
  }

  @SubscribeMessage('message:delete')
  async delete(
    @ConnectedSocket() socket: Socket,
    @MessageBody() body: MessageRefDto,
  ): Promise<Ack<{ message: MessageView }>> {
    const message = await this.lifecycle.delete(
      socketUser(socket).id,
      body.conversationId,
      body.messageId,
    );
    return { ok: true, message };
  }

  @SubscribeMessage('reaction:add')
  addReaction(
    @ConnectedSocket() socket: Socket,
    @MessageBody() body: ReactionDto,
  ): Promise<Ack<{ message: MessageView }>> {
    return this.react(socket, body, true);
  }

  @SubscribeMessage('reaction:remove')
  removeReaction(
    @ConnectedSocket() socket: Socket,
    @MessageBody() body: ReactionDto,
  ): Promise<Ack<{ message: MessageView }>> {
    return this.react(socket, body, false);
  }

  /** In an end-to-end encrypted conversation: all the caller's emojis on a message, encrypted. */
  @SubscribeMessage('reaction:set-encrypted')
  async setEncryptedReaction(
    @ConnectedSocket() socket: Socket,
    @MessageBody() body: EncryptedReactionDto,
  ): Promise<Ack<{ message: MessageView }>> {
    const message = await this.lifecycle.setEncryptedReaction(
      socketUser(socket).id,
      body.conversationId,
      body.messageId,
      body.encrypted,
    );
    return { ok: true, message };
  }

  private async react(
    socket: Socket,
    { conversationId, messageId, emoji }: ReactionDto,
    add: boolean,
  ): Promise<Ack<{ message: MessageView }>> {
    const userId = socketUser(socket).id;
    const message = await this.lifecycle.react(userId, conversationId, messageId, emoji, add);
    return { ok: true, message };
  }
}
