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

type Handler = MessageMappingProperties['callback'];

/**
 * Each connected socket's gateway handlers, at their event's index in the adapter's list of
 * events (`RealtimeAdapter.bindMessageHandlers`).
 */
const SOCKET_HANDLERS = new WeakMap<Socket, Handler[]>();

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
   * Nest's version builds an RxJS pipeline per socket and per event (about 25 KB a socket),
   * and even a plain `socket.on` per event costs each socket a listener array per event. Here
   * a socket keeps only its handlers, in an array indexed by event, and one middleware that
   * dispatches to them: registered after the inbound budget's (at connection), so a refused
   * packet never reaches a handler, as before. Handlers answer a value or a promise (none
   * answers an Observable).
   */
  override bindMessageHandlers(
    socket: Socket,
    handlers: MessageMappingProperties[],
    _transform: (data: unknown) => Observable<unknown>,
  ): void {
    let own = SOCKET_HANDLERS.get(socket);
    if (!own) {
      own = [];
      SOCKET_HANDLERS.set(socket, own);
      socket.use((packet, next) => this.dispatch(socket, packet, next));
    }
    for (const { message, callback, isAckHandledManually } of handlers) {
      own[this.eventIndex(message as string, isAckHandledManually)] = callback;
    }
  }

  /** Every event a gateway handles, in the order first bound: the same for every socket. */
  private readonly events = new Map<string, { index: number; answersItself: boolean }>();

  private eventIndex(event: string, answersItself: boolean): number {
    let entry = this.events.get(event);
    if (!entry) {
      entry = { index: this.events.size, answersItself };
      this.events.set(event, entry);
    }
    return entry.index;
  }

  /**
   * Runs the socket's handler of this event as Socket.IO would run a listener: on the next
   * tick, only while connected, with the event's arguments and, last, the ack. An event no
   * gateway handles goes on to Socket.IO.
   */
  private dispatch(socket: Socket, packet: unknown[], next: (err?: Error) => void): void {
    const [event, ...args] = packet;
    const entry = typeof event === 'string' ? this.events.get(event) : undefined;
    const handler = entry && SOCKET_HANDLERS.get(socket)?.[entry.index];
    if (!entry || !handler) return next();
    process.nextTick(() => {
      if (socket.connected) this.handle(socket, handler, entry.answersItself, args);
    });
  }

  private handle(socket: Socket, handler: Handler, answersItself: boolean, args: unknown[]): void {
    const { data, ack } = this.mapPayload(args.length === 1 ? args[0] : args);
    let result: unknown;
    try {
      result = handler(data, ack);
    } catch (err) {
      this.handlerFailed(err);
      return;
    }
    void Promise.resolve(result).then((response: unknown) => {
      if (response === null || response === undefined) return;
      const reply = response as { event?: string; data?: unknown };
      if (reply.event) socket.emit(reply.event, reply.data);
      else if (!answersItself && typeof ack === 'function') ack(response);
    }, this.handlerFailed);
  }

  private readonly handlerFailed = (err: unknown): void =>
    this.logger.error(`socket handler failed: ${String(err)}`);

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
