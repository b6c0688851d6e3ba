import { INestApplicationContext, Logger } from '@nestjs/common';
import { IoAdapter } from '@nestjs/platform-socket.io';
import type { MessageMappingProperties } from '@nestjs/websockets';
import { createAdapter } from '@socket.io/redis-adapter';
import type { IncomingMessage } from 'node:http';
import type { Observable } from 'rxjs';
import type { Server, ServerOptions, Socket } from 'socket.io';
import { AppConfig } from '../config/app-config';
import { OriginPolicy } from '../http/origin-policy';
import { UntrustedProxyWarning } from '../http/trusted-proxy';
import { RedisService } from '../redis/redis.service';
import { ConnectionCap } from './connection-cap';
import { meterInbound } from './inbound-budget';

/** Runs once per connection attempt, before any gateway sees the socket. */
export type SocketMiddleware = (socket: Socket, next: (err?: Error) => void) => void;

/**
 * The largest frame a connection may send. The largest valid event is a `message:send` whose
 * text is MAX_MESSAGE_LENGTH UTF-16 units, each JSON-escaped as `\uXXXX` (6 bytes), plus a
 * small envelope (24 KiB at the default 4,000): twice that, and never under 128 KiB, so an
 * over-long text (100 KB, say) still arrives and gets its BAD_REQUEST ack instead of a closed
 * connection. Only a frame past this, which no valid event comes near, closes the connection
 * unanswered; the inbound budget bounds the volume of what fits.
 */
export function maxFrameBytes(maxMessageLength: number): number {
  return Math.max(128 * 1024, 2 * (maxMessageLength * 6 + 4096));
}

/**
 * The one Socket.IO server every gateway shares: CORS from CLIENT_URL, bounded frames, a
 * per-connection inbound budget, the authentication middleware, and the Redis adapter when
 * Redis is configured so that rooms and broadcasts span every instance.
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
    const cap = new ConnectionCap(
      this.config.limits.connectionsPerIp,
      this.config.trustProxy,
      (address, limit) =>
        this.logger.warn(
          `refusing Socket.IO connections from ${address}: it holds ${limit} already ` +
            '(MAX_CONNECTIONS_PER_IP; reported again only after it dropped below)',
        ),
    );
    const proxyWarning = new UntrustedProxyWarning(this.config.trustProxy, 'Socket.IO');
    const server: Server = super.createIOServer(port, {
      ...options,
      cors: { origin: this.config.corsOrigins, credentials: true },
      maxHttpBufferSize: maxFrameBytes(this.config.limits.maxMessageLength),
      // The client bundle is the web app's own: no /socket.io/socket.io.js naming our version.
      serveClient: false,
      pingInterval: 20_000,
      pingTimeout: 20_000,
      connectTimeout: 10_000,
      allowRequest: (req: IncomingMessage, callback: (err: string | null, ok: boolean) => void) => {
        proxyWarning.check(req);
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
    const { packets, bytes, windowSeconds } = this.config.limits.socketBudget;
    const budget = [packets > 0 ? `${packets} packets` : '', bytes > 0 ? `${bytes} bytes` : '']
      .filter(Boolean)
      .join(' or ');
    server.on('connection', (socket: Socket) =>
      meterInbound(socket, { packets, bytes, windowMs: windowSeconds * 1000 }, (s) =>
        this.logger.warn(`closing socket ${s.id}: over ${budget} per ${windowSeconds} s`),
      ),
    );
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
