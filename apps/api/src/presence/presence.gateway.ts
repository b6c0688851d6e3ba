import { Logger } from '@nestjs/common';
import { OnGatewayConnection, OnGatewayDisconnect, WebSocketGateway } from '@nestjs/websockets';
import type { Socket } from 'socket.io';
import { socketUser } from '../core/realtime/socket-user';
import { PresenceService } from './presence.service';

@WebSocketGateway()
export class PresenceGateway implements OnGatewayConnection, OnGatewayDisconnect {
  private readonly logger = new Logger(PresenceGateway.name);

  constructor(private readonly presence: PresenceService) {}

  async handleConnection(socket: Socket): Promise<void> {
    await this.presence
      .connected(socketUser(socket).id)
      .catch((err: Error) => this.logger.warn(err.message));
  }

  async handleDisconnect(socket: Socket): Promise<void> {
    await this.presence
      .disconnected(socketUser(socket).id)
      .catch((err: Error) => this.logger.warn(err.message));
  }
}
