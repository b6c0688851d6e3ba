import { Logger, OnModuleDestroy } from '@nestjs/common';
import {
  OnGatewayConnection,
  OnGatewayDisconnect,
  OnGatewayInit,
  WebSocketGateway,
} from '@nestjs/websockets';
import type { Socket } from 'socket.io';
import { MetricsService } from '../metrics/metrics.service';
import { ChatServer, RealtimeServer, sessionRoom, userRoom } from './realtime-server';
import type { SocketData } from './socket-user';
import { dropSlowConsumers } from './slow-consumer.guard';

/** setTimeout's ceiling; longer sessions are re-checked on the next connection anyway. */
const MAX_TIMER_MS = 2_147_483_647;

/**
 * Places each authenticated socket in its user's and session's rooms, so that events for the
 * user reach every device and a revoked session can be closed wherever it is connected (the
 * conversations module adds the `conversation:<id>` rooms). Sockets close by themselves when
 * their token expires.
 */
@WebSocketGateway()
export class ConnectionGateway
  implements OnGatewayInit, OnGatewayConnection, OnGatewayDisconnect, OnModuleDestroy
{
  private readonly logger = new Logger(ConnectionGateway.name);
  private readonly expiryTimers = new Map<string, NodeJS.Timeout>();
  private slowConsumerCheck?: NodeJS.Timeout;

  constructor(
    private readonly realtime: RealtimeServer,
    private readonly metrics: MetricsService,
  ) {}

  afterInit(server: ChatServer): void {
    this.realtime.attach(server);
    this.slowConsumerCheck = dropSlowConsumers(() => server.sockets.sockets.values());
  }

  onModuleDestroy(): void {
    clearInterval(this.slowConsumerCheck);
  }

  async handleConnection(socket: Socket): Promise<void> {
    const { user } = socket.data as SocketData;
    this.metrics.socketsConnected.inc();
    await socket.join([userRoom(user.id), sessionRoom(user.sessionId)]);
    const ttl = user.expiresAt - Date.now();
    if (ttl < MAX_TIMER_MS) {
      this.expiryTimers.set(
        socket.id,
        setTimeout(() => socket.disconnect(true), Math.max(0, ttl)),
      );
    }
    this.logger.debug(`socket ${socket.id} connected for user ${user.id}`);
  }

  handleDisconnect(socket: Socket): void {
    this.metrics.socketsConnected.dec();
    clearTimeout(this.expiryTimers.get(socket.id));
    this.expiryTimers.delete(socket.id);
  }
}
