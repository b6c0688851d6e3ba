import { INestApplicationContext, Logger } from '@nestjs/common';
import { IoAdapter } from '@nestjs/platform-socket.io';
import type { MessageMappingProperties } from '@nestjs/websockets';
import { createAdapter } from '@socket.io/redis-adapter';
import type { IncomingMessage } from 'node:http';
import type { Observable } from 'rxjs';
import type { Server, ServerOptions, Socket } from 'socket.io';
import { AppConfig } from '../config/app-config';
import { OriginPolicy } from '../http/origin-policy';
import { RedisService } from '../redis/redis.service';
import { ConnectionCap } from './connection-cap';

/** Runs once per connection attempt, before any gateway sees the socket. */
export type SocketMiddleware = (socket: Socket, next: (err?: Error) => void) => void;

/**
 * The one Socket.IO server every gateway shares: CORS from CLIENT_URL, bounded frames, the
 * authentication middleware, and the Redis adapter when Redis is configured so that rooms and
 * broadcasts span every instance.
 */
export class RealtimeAdapter extends IoAdapter {
  private readonly logger = new Logger(RealtimeAdapter.name);
  private server?: Server;

  constructor(
    app: INestApplicationContext,
    private readonly config: AppConfig,
    private readonly redis: RedisService,
    private readonly middlewares: SocketMiddleware[],
  ) {
    super(app);
  }

  override createIOServer(port: number, options?: ServerOptions): Server {
    // Every gateway asks for the default namespace of one server: build it once.
    if (this.server) return this.server;
    const cap = new ConnectionCap(this.config.limits.connectionsPerIp, this.config.trustProxy);
    const server: Server = super.createIOServer(port, {
      ...options,
      cors: { origin: this.config.corsOrigins, credentials: true },
      maxHttpBufferSize: 64 * 1024,
      pingInterval: 20_000,
      pingTimeout: 20_000,
      connectTimeout: 10_000,
      allowRequest: (req: IncomingMessage, callback: (err: string | null, ok: boolean) => void) => {
        if (!this.originAllowed(req)) return callback('Origin not allowed', false);
        // Only a new session (no sid) opens a connection; polling requests of one reuse it.
        const handshake = !new URL(req.url ?? '/', 'http://x').searchParams.has('sid');
        if (handshake && !cap.allows(req))
          return callback('Too many connections from this address', false);
        callback(null, true);
      },
    });
    server.engine.on(
      'connection',
      (socket: { request: IncomingMessage; once(e: 'close', f: () => void): void }) => {
        socket.once('close', cap.opened(socket.request));
      },
    );
    for (const middleware of this.middlewares) server.use(middleware);
    if (this.redis.enabled) {
      server.adapter(
        createAdapter(this.redis.publisher(), this.redis.duplicate(), {
          key: `${this.redis.keyPrefix}socket.io`,
        }),
      );
      this.logger.log('Socket.IO Redis adapter on');
    }
    this.server = server;
    return server;
  }

  /**
   * Nest's version builds an RxJS pipeline per socket and per event (about 25 KB a socket,
   * most of an idle connection's memory). Plain listeners do the same work per message only.
   */
  override bindMessageHandlers(
    socket: Socket,
    handlers: MessageMappingProperties[],
    transform: (data: unknown) => Observable<unknown>,
  ): void {
    for (const { message, callback, isAckHandledManually } of handlers) {
      socket.on(message as string, (...args: unknown[]) => {
        const { data, ack } = this.mapPayload(args.length === 1 ? args[0] : args);
        transform(callback(data, ack)).subscribe({
          next: (response) => {
            if (response === null || response === undefined) return;
            const event = response as { event?: string; data?: unknown };
            if (event.event) socket.emit(event.event, event.data);
            else if (!isAckHandledManually && typeof ack === 'function') ack(response);
          },
          error: (err: unknown) => this.logger.error(`socket handler failed: ${String(err)}`),
        });
      });
    }
  }

  /**
   * Browsers always send Origin on a WebSocket handshake: refuse foreign sites (cross-site
   * WebSocket hijacking). Non-browser clients send none and authenticate by token alone.
   */
  private originAllowed(req: IncomingMessage): boolean {
    // The API's own origin (any host and port it is reached by) plus CLIENT_URL.
    this.origins ??= new OriginPolicy(this.config.corsOrigins, this.config.trustProxy, 'Socket.IO');
    return this.origins.allows(req);
  }

  private origins?: OriginPolicy;
}
