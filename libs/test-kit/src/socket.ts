import { randomUUID } from 'node:crypto';
import type {
  Ack,
  ClientToServerEvents,
  MessageView,
  ServerToClientEvents,
  SocketError,
} from '@chat/shared-dto';
import { io, type Socket, type SocketOptions, type ManagerOptions } from 'socket.io-client';

/** A client socket typed by the contract's event maps. */
export type ChatSocket = Socket<ServerToClientEvents, ClientToServerEvents>;
export type ServerEvent = keyof ServerToClientEvents;
export type ClientEvent = keyof ClientToServerEvents;
/** What the server sends with `event`. */
export type EventPayload<E extends ServerEvent> = Parameters<ServerToClientEvents[E]>[0];
/** What a client sends with `event`. */
export type ClientPayload<E extends ClientEvent> = Parameters<ClientToServerEvents[E]>[0];
/** The ack the server answers `event` with. */
export type AckOf<E extends ClientEvent> = Parameters<Parameters<ClientToServerEvents[E]>[1]>[0];

export interface ConnectOptions {
  /** Give up (and close the socket) after this long without `connect`. */
  timeoutMs?: number;
  transports?: ('websocket' | 'polling')[];
  /** Request headers of the handshake (Node only), e.g. `x-forwarded-for`. */
  headers?: Record<string, string>;
  /** Off by default: a refused or closed socket must stay closed so the test sees it. */
  reconnection?: boolean;
  /** Bind the client end to this loopback address (balancers hash on the client address). */
  localAddress?: string;
  /** Anything else socket.io-client takes. */
  io?: Partial<ManagerOptions & SocketOptions>;
}

/** Every socket the kit opened and nobody closed yet: `closeAllSockets` ends them. */
const open = new Set<ChatSocket>();

/**
 * Connects with `token` (no `auth` at all when undefined) and resolves once the server
 * accepted the handshake; rejects with the `connect_error` or after `timeoutMs`.
 */
export function connectSocket(
  url: string,
  token: string | undefined,
  {
    timeoutMs = 10_000,
    transports = ['websocket'],
    headers,
    reconnection = false,
    localAddress,
    io: extra = {},
  }: ConnectOptions = {},
): Promise<ChatSocket> {
  // Node's WebSocket client takes `localAddress`; socket.io-client passes it on untyped.
  const local = localAddress ? ({ localAddress } as Partial<ManagerOptions>) : {};
  const socket: ChatSocket = io(url, {
    ...local,
    auth: token === undefined ? undefined : { token },
    transports,
    reconnection,
    forceNew: true,
    timeout: timeoutMs,
    extraHeaders: headers,
    ...extra,
  });
  open.add(socket);
  socket.once('disconnect', () => {
    if (!socket.io.opts.reconnection) open.delete(socket);
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      socket.close();
      open.delete(socket);
      reject(new Error(`no connect to ${url} within ${timeoutMs} ms`));
    }, timeoutMs);
    socket.once('connect', () => {
      clearTimeout(timer);
      resolve(socket);
    });
    socket.once('connect_error', (err) => {
      clearTimeout(timer);
      socket.close();
      open.delete(socket);
      reject(err);
    });
  });
}

/** Closes every socket `connectSocket` opened that is still open (an after-hook's job). */
export function closeAllSockets(): void {
  for (const socket of open) socket.close();
  open.clear();
}

/** Emits with an ack; no ack within `timeoutMs` rejects (a hung handler is a bug). */
export function emitAck<E extends ClientEvent>(
  socket: ChatSocket,
  event: E,
  payload: ClientPayload<E>,
  timeoutMs = 10_000,
): Promise<AckOf<E>> {
  // The event maps cannot be indexed by a generic event name; the signature above is the check.
  const timed = socket.timeout(timeoutMs) as unknown as Socket;
  return timed.emitWithAck(event, payload) as Promise<AckOf<E>>;
}

/**
 * Any event of the contract with a payload the caller vouches for, answering the common ack
 * shape: for loops over several events, where one typed call per event cannot be written.
 */
export function emitAnyAck(
  socket: ChatSocket,
  event: ClientEvent,
  payload: object,
  timeoutMs = 10_000,
): Promise<Ack> {
  const timed = socket.timeout(timeoutMs) as unknown as Socket;
  return timed.emitWithAck(event, payload) as Promise<Ack>;
}

/** The ack a client makes up when none came in time, so a load test can count it. */
export interface TimedOutAck {
  ok: false;
  timeout: true;
  error: { code: 'TIMEOUT'; message: string };
}

/** `emitAck` that resolves a missing ack as `TimedOutAck` instead of rejecting. */
export async function emitAckOrTimeout<E extends ClientEvent>(
  socket: ChatSocket,
  event: E,
  payload: ClientPayload<E>,
  timeoutMs = 10_000,
): Promise<AckOf<E> | TimedOutAck> {
  try {
    return await emitAck(socket, event, payload, timeoutMs);
  } catch (err) {
    return {
      ok: false,
      timeout: true,
      error: { code: 'TIMEOUT', message: err instanceof Error ? err.message : String(err) },
    };
  }
}

/**
 * Emits any event name with any payload, outside the contract's types: for fuzzing what the
 * server does with events and payloads no typed client can send.
 */
export function emitRaw(
  socket: ChatSocket,
  event: string,
  args: unknown[],
  timeoutMs = 10_000,
): Promise<unknown> {
  return untyped(socket)
    .timeout(timeoutMs)
    .emitWithAck(event, ...args) as Promise<unknown>;
}

/** The same socket without the contract's types: for fuzzing, and nothing else. */
export function untyped(socket: ChatSocket): Socket {
  return socket as unknown as Socket;
}

export type SendAck = Ack<{ message: MessageView }>;

/** `message:send` with a fresh clientId unless given. */
export function sendMessage(
  socket: ChatSocket,
  conversationId: string,
  content: string,
  clientId: string = randomUUID(),
  timeoutMs = 10_000,
): Promise<SendAck> {
  return emitAck(socket, 'message:send', { conversationId, clientId, content }, timeoutMs);
}

/** The message of an ok ack; a refused ack throws with its error. */
export function ackedMessage(ack: SendAck): MessageView {
  if (!ack.ok) throw new Error(`message:send refused: ${ack.error.code} ${ack.error.message}`);
  return ack.message;
}

/** The error of a refused ack; an ok ack throws. */
export function ackError(ack: Ack<object> | TimedOutAck): SocketError | TimedOutAck['error'] {
  if (ack.ok) throw new Error('expected the ack to refuse, it was ok');
  return ack.error;
}

export interface NextEventOptions<E extends ServerEvent> {
  timeoutMs?: number;
  /** Only a payload passing this counts; others are ignored. */
  match?: (payload: EventPayload<E>) => boolean;
}

/** Resolves with the next `event` (passing `match`) on `socket`, or rejects after `timeoutMs`. */
export function nextEvent<E extends ServerEvent>(
  socket: ChatSocket,
  event: E,
  { timeoutMs = 5000, match }: NextEventOptions<E> = {},
): Promise<EventPayload<E>> {
  // A generic event name does not index the typed overloads: listen untyped, typed above.
  const untyped = socket as unknown as Socket;
  const name: string = event;
  return new Promise((resolve, reject) => {
    const handler = (payload: EventPayload<E>): void => {
      if (match && !match(payload)) return;
      clearTimeout(timer);
      untyped.off(name, handler);
      resolve(payload);
    };
    const timer = setTimeout(() => {
      untyped.off(name, handler);
      reject(new Error(`no ${name} within ${timeoutMs} ms`));
    }, timeoutMs);
    untyped.on(name, handler);
  });
}

/** Resolves true if no `event` (passing `match`) arrives on `socket` within `ms`. */
export function noEvent<E extends ServerEvent>(
  socket: ChatSocket,
  event: E,
  ms = 500,
  match?: (payload: EventPayload<E>) => boolean,
): Promise<boolean> {
  return nextEvent(socket, event, { timeoutMs: ms, match }).then(
    () => false,
    () => true,
  );
}

export interface RecordedEvent {
  event: string;
  payload: unknown;
}

/** Every event a socket receives from now on, for "nobody else got it" checks. */
export function recordEvents(socket: ChatSocket): RecordedEvent[] {
  const events: RecordedEvent[] = [];
  socket.onAny((event: string, payload: unknown) => events.push({ event, payload }));
  return events;
}

/** Every payload of one event a socket receives from now on, in order. */
export function collectEvents<E extends ServerEvent>(
  socket: ChatSocket,
  event: E,
): EventPayload<E>[] {
  const got: EventPayload<E>[] = [];
  const name: string = event;
  (socket as unknown as Socket).on(name, (payload: EventPayload<E>) => {
    got.push(payload);
  });
  return got;
}
