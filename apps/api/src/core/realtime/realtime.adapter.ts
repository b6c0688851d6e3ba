import { INestApplicationContext, Logger } from '@nestjs/common';
import { IoAdapter } from '@nestjs/platform-socket.io';
import type { RedisAdapter } from '@socket.io/redis-adapter';
import type { MessageMappingProperties } from '@nestjs/websockets';
import type { IncomingMessage } from 'node:http';
import { E2E_LIMITS } from '@chat/shared-dto';
import type { Observable } from 'rxjs';
import type { Server, ServerOptions, Socket } from 'socket.io';
import { AppConfig } from '../config/app-config';
import { OriginPolicy } from '../http/origin-policy';
import { UntrustedProxyWarning } from '../http/trusted-proxy';
import { RedisService } from '../redis/redis.service';
import { ConnectionCap } from './connection-cap';
import { meterInbound } from './inbound-budget';
import { peerAwareRedisAdapter } from './peer-aware-redis-adapter';
import { PeerPresence } from './peer-presence';

/** Each connected socket's gateway handlers by event (`RealtimeAdapter.bindMessageHandlers`). */
const SOCKET_HANDLERS = new WeakMap<Socket, Map<string, MessageMappingProperties['callback']>>();

/** Runs once per connection attempt, before any gateway sees the socket. */
export type SocketMiddleware = (socket: Socket, next: (err?: Error) => void) => void;

/**
 * The largest frame a connection may send. The largest valid event is a `message:send` whose
 * text is MAX_MESSAGE_LENGTH UTF-16 units, each JSON-escaped as `\uXXXX` (6 bytes), plus a
 * small envelope (24 KiB at the default 4,000): twice that, and never under 128 KiB nor the
 * largest end-to-end encrypted event (20 envelopes of 64 KiB: 1.3 MiB), so an
 * over-long text (100 KB, say) still arrives and gets its BAD_REQUEST ack instead of a closed
 * connection. Only a frame past this, which no valid event comes near, closes the connection
 * unanswered; the inbound budget bounds the volume of what fits.
 */
export function maxFrameBytes(maxMessageLength: number): number {
  return Math.max(128 * 1024, 2 * (maxMessageLength * 6 + 4096), ENCRYPTED_FRAME_BYTES);
}

/** The largest valid encrypted event: every envelope at its largest, plus the rest of it. */
const ENCRYPTED_FRAME_BYTES =
  E2E_LIMITS.envelopesMax * (E2E_LIMITS.envelopeBodyMax + 256) + 64 * 1024;

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
    server.on('connection', (socket: Socket) => {
      releaseHandshake(socket);
      meterInbound(socket, { packets, bytes, windowMs: windowSeconds * 1000 }, (s) =>
        this.logger.warn(`closing socket ${s.id}: over ${budget} per ${windowSeconds} s`),
      );
    });
    if (this.redis.enabled) {
      const publisher = this.redis.publisher();
      this.peers = new PeerPresence({
        commands: publisher,
        instances: () => (server.of('/').adapter as unknown as RedisAdapter).serverCount(),
        subscriber: this.redis.duplicate(),
        channel: `${this.redis.keyPrefix}socket.io-peers`,
        onChange: (alone) =>
          this.logger.log(
            alone
              ? 'no other instance on this Redis: broadcasts stay in this process'
              : 'other instances on this Redis: broadcasts go through it',
          ),
        onWelcomeTimeout: (missing) =>
          this.logger.warn(`${missing} other instance(s) did not answer this one's hello in time`),
      });
      this.peersKnown = this.peers.start();
      server.adapter(
        peerAwareRedisAdapter(
          publisher,
          this.redis.duplicate(),
          { key: `${this.redis.keyPrefix}socket.io` },
          this.peers,
        ),
      );
      this.logger.log('Socket.IO Redis adapter on');
    }
    this.server = server;
    return server;
  }

  /**
   * Resolves once every other instance on the same Redis knows of this one, so that it
   * publishes the broadcasts this one's sockets need: call before accepting connections.
   */
  ready(): Promise<void> {
    return this.peersKnown;
  }

  override async dispose(): Promise<void> {
    this.peers?.stop();
    await super.dispose();
  }

  private peers?: PeerPresence;
  private peersKnown: Promise<void> = Promise.resolve();

  /**
   * Nest's version builds an RxJS pipeline per socket and per event (about 25 KB a socket,
   * most of an idle connection's memory). Plain listeners do the same work per message only.
   */
  /**
   * One listener per event shared by every socket, instead of a listener (and Nest's RxJS
   * transform) per event per socket: a socket keeps only a map from event to its handler,
   * which is most of what an idle connection costs. Registered with `socket.on`, so the
   * socket's middlewares (the inbound budget) still run first. Handlers answer a value or a
   * promise (none answers an Observable).
   */
  override bindMessageHandlers(
    socket: Socket,
    handlers: MessageMappingProperties[],
    _transform: (data: unknown) => Observable<unknown>,
  ): void {
    let own = SOCKET_HANDLERS.get(socket);
    if (!own) {
      own = new Map();
      SOCKET_HANDLERS.set(socket, own);
    }
    for (const { message, callback, isAckHandledManually } of handlers) {
      const event = message as string;
      own.set(event, callback);
      socket.on(event, this.listenerFor(event, isAckHandledManually));
    }
  }

  private readonly listeners = new Map<string, (this: Socket, ...args: unknown[]) => void>();

  private listenerFor(event: string, answersItself: boolean) {
    let listener = this.listeners.get(event);
    if (!listener) {
      listener = eventListener(event, answersItself, {
        mapPayload: (payload) => this.mapPayload(payload),
        failed: (err) => this.logger.error(`socket handler failed: ${String(err)}`),
      });
      this.listeners.set(event, listener);
    }
    return listener;
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

/**
 * Engine.IO keeps each session's first HTTP request, and Socket.IO the handshake's headers and
 * token, for as long as the socket lives. Only the auth middleware reads them, before this
 * point; an idle socket need not carry them (about 1.5 KB each, measured in the idle bench).
 */
function releaseHandshake(socket: Socket): void {
  (socket.conn as unknown as { request: IncomingMessage | null }).request = null;
  socket.handshake.headers = {};
  socket.handshake.auth = {};
}

/**
 * The listener of one event that every socket shares: Socket.IO's emitter calls it with the
 * socket as `this`, the event's arguments and, last, the ack.
 */
function eventListener(
  event: string,
  answersItself: boolean,
  deps: {
    mapPayload: (payload: unknown) => { data?: unknown; ack?: unknown };
    failed: (err: unknown) => void;
  },
) {
  return function listener(this: Socket, ...args: unknown[]): void {
    const handler = SOCKET_HANDLERS.get(this)?.get(event);
    if (!handler) return;
    const { data, ack } = deps.mapPayload(args.length === 1 ? args[0] : args);
    let result: unknown;
    try {
      result = handler(data, ack);
    } catch (err) {
      deps.failed(err);
      return;
    }
    void Promise.resolve(result).then((response: unknown) => {
      if (response === null || response === undefined) return;
      const reply = response as { event?: string; data?: unknown };
      if (reply.event) this.emit(reply.event, reply.data);
      else if (!answersItself && typeof ack === 'function') ack(response);
    }, deps.failed);
  };
}
