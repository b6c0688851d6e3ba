import { Injectable, InjectionToken, inject, signal } from '@angular/core';
import type { Ack, ClientToServerEvents, ServerToClientEvents } from '@chat/shared-dto';
import type { ManagerOptions, Socket, SocketOptions } from 'socket.io-client';
import { io } from 'socket.io-client';

export type ChatSocket = Socket<ServerToClientEvents, ClientToServerEvents>;
export type SocketFactory = (
  url: string,
  options: Partial<ManagerOptions & SocketOptions>,
) => ChatSocket;

/** How the socket is made; tests swap it for a fake. */
export const SOCKET_FACTORY = new InjectionToken<SocketFactory>('SOCKET_FACTORY', {
  providedIn: 'root',
  factory: () => (url, options) => io(url, options) as ChatSocket,
});

/** `unreachable`: several tries in a row failed; it keeps trying, but the user should know. */
export type ConnectionStatus = 'idle' | 'connecting' | 'connected' | 'reconnecting' | 'unreachable';

/** Failed tries in a row before the client says "cannot connect" instead of "Connecting…". */
export const UNREACHABLE_AFTER = 3;

/**
 * Why a connection attempt failed, in words for the banner. A refused handshake over HTTP
 * long-polling carries the server's reason (`{"code":4,"message":"Origin not allowed"}`);
 * a refused WebSocket carries none.
 */
export function connectErrorReason(error: unknown): string {
  const failure = error as {
    message?: string;
    description?: unknown;
    context?: { status?: number; responseText?: string };
  };
  const body = failure.context?.responseText;
  if (body) {
    try {
      const parsed = JSON.parse(body) as { message?: unknown };
      if (typeof parsed.message === 'string' && parsed.message) return parsed.message;
    } catch {
      // not JSON: fall through to the status
    }
  }
  const status = failure.context?.status ?? failure.description;
  if (typeof status === 'number' && status >= 400) return `the server answered ${status}`;
  if (failure.message && !/^(websocket|xhr poll) error$/i.test(failure.message))
    return failure.message;
  return 'the server cannot be reached';
}

/** An ack, or the client's own reason it got none. */
export type EmitResult<T extends object = object> =
  Ack<T> | { ok: false; error: { code: 'TIMEOUT' | 'DISCONNECTED'; message: string } };

type AckPayload<E extends keyof ClientToServerEvents> = Parameters<
  ClientToServerEvents[E]
>[1] extends (ack: Ack<infer T>) => void
  ? T
  : object;

export interface RealtimeHandlers {
  /** Every (re)connection; `first` is false after a drop, when the client must catch up. */
  connected(first: boolean): void;
  /** The server refused the session (revoked or expired token). */
  unauthorized(): void;
  /** The server closed the connection itself (logout elsewhere, or a restart). */
  kicked(): void;
}

export const ACK_TIMEOUT_MS = 10_000;

/** The one Socket.IO connection of the app. Components never touch it; stores and the session do. */
@Injectable()
export class RealtimeService {
  private readonly factory = inject(SOCKET_FACTORY);
  private socket: ChatSocket | null = null;
  private everConnected = false;
  private offlineHold = false;
  private readonly removeWindowListeners: (() => void)[] = [];
  private readonly state = signal<ConnectionStatus>('idle');
  private readonly reason = signal<string | null>(null);
  private failures = 0;

  readonly status = this.state.asReadonly();
  /** The last reason a try failed, while the connection is down. */
  readonly failure = this.reason.asReadonly();

  connect(token: string, handlers: RealtimeHandlers): void {
    this.disconnect();
    this.everConnected = false;
    this.failures = 0;
    this.reason.set(null);
    this.state.set('connecting');
    const socket = this.factory(globalThis.location.origin, {
      auth: { token },
      transports: ['websocket', 'polling'],
      // A refused WebSocket says nothing; falling back to polling lets the server say why.
      tryAllTransports: true,
      reconnectionDelay: 500,
      reconnectionDelayMax: 5000,
    });
    this.socket = socket;
    this.watchBrowserNetwork();
    // A try that ends without an error (a proxy closing the connection before the handshake)
    // reaches the manager's next `reconnect_attempt` without a connect_error: count it too.
    let triedSinceError = false;
    socket.io?.on('reconnect_attempt', () => {
      if (this.socket !== socket) return;
      if (triedSinceError) this.failedTry(null);
      triedSinceError = true;
    });
    socket.on('connect', () => {
      triedSinceError = false;
      const first = !this.everConnected;
      this.everConnected = true;
      this.failures = 0;
      this.reason.set(null);
      this.state.set('connected');
      handlers.connected(first);
    });
    socket.on('disconnect', (reason) => {
      if (this.socket !== socket) return;
      this.state.set('reconnecting');
      if (reason === 'io server disconnect' && !this.offlineHold) handlers.kicked();
    });
    socket.on('connect_error', (error: Error) => {
      if (this.socket !== socket) return;
      // "Unauthorized: ... try again" is the server failing to check the token, not a verdict.
      if (/unauthori[sz]ed/i.test(error.message) && !/try again/i.test(error.message)) {
        handlers.unauthorized();
        return;
      }
      this.failedTry(connectErrorReason(error));
      triedSinceError = false;
      // A middleware refusal does not retry by itself; anything else does.
      if (!socket.active && !this.offlineHold) {
        setTimeout(() => this.socket === socket && !this.offlineHold && socket.connect(), 2000);
      }
    });
  }

  private failedTry(reason: string | null): void {
    this.failures++;
    if (reason || !this.reason())
      this.reason.set(reason ?? 'the connection closes before it is set up');
    if (this.failures >= UNREACHABLE_AFTER && !this.offlineHold) this.state.set('unreachable');
    else this.state.set(this.everConnected ? 'reconnecting' : 'connecting');
  }

  /** Tries again now (after the server closed the connection). */
  reconnect(): void {
    if (this.socket && !this.socket.connected) this.socket.connect();
  }

  disconnect(): void {
    for (const remove of this.removeWindowListeners.splice(0)) remove();
    this.offlineHold = false;
    this.failures = 0;
    this.reason.set(null);
    const socket = this.socket;
    this.socket = null;
    if (socket) {
      socket.removeAllListeners();
      socket.disconnect();
    }
    this.state.set('idle');
  }

  /**
   * The browser knows before any heartbeat when the network is gone: drop the socket at once
   * (pending acks fail fast and the banner shows) and reconnect as soon as it is back.
   */
  private watchBrowserNetwork(): void {
    const view = globalThis.window;
    if (!view?.addEventListener) return;
    const offline = () => {
      const socket = this.socket;
      if (!socket) return;
      this.offlineHold = true;
      // Being offline is not the server's fault: count failures afresh once back.
      this.failures = 0;
      this.reason.set(null);
      if (socket.connected || socket.active) socket.disconnect();
      this.state.set(this.everConnected ? 'reconnecting' : 'connecting');
    };
    const online = () => {
      if (!this.offlineHold) return;
      this.offlineHold = false;
      this.socket?.connect();
    };
    view.addEventListener('offline', offline);
    view.addEventListener('online', online);
    this.removeWindowListeners.push(
      () => view.removeEventListener('offline', offline),
      () => view.removeEventListener('online', online),
    );
  }

  get connected(): boolean {
    return this.socket?.connected ?? false;
  }

  on<E extends keyof ServerToClientEvents>(event: E, handler: ServerToClientEvents[E]): () => void {
    const socket = this.socket;
    if (!socket) return () => undefined;
    // The typed overloads of socket.io do not narrow a generic event name.
    const untyped = socket as unknown as {
      on(e: string, h: (...args: unknown[]) => void): void;
      off(e: string, h: (...args: unknown[]) => void): void;
    };
    const listener = handler as unknown as (...args: unknown[]) => void;
    untyped.on(event, listener);
    return () => untyped.off(event, listener);
  }

  /** Emits with an ack and a timeout; never rejects. Nothing is buffered while disconnected. */
  emit<E extends keyof ClientToServerEvents>(
    event: E,
    payload: Parameters<ClientToServerEvents[E]>[0],
  ): Promise<EmitResult<AckPayload<E>>> {
    const socket = this.socket;
    if (!socket?.connected) {
      return Promise.resolve({
        ok: false,
        error: { code: 'DISCONNECTED', message: 'Not connected' },
      });
    }
    return new Promise((resolve) => {
      const untyped = socket.timeout(ACK_TIMEOUT_MS) as unknown as {
        emit(e: string, p: unknown, cb: (err: Error | null, ack: Ack<AckPayload<E>>) => void): void;
      };
      untyped.emit(event, payload, (err, ack) => {
        if (err)
          resolve({ ok: false, error: { code: 'TIMEOUT', message: 'No answer from the server' } });
        else if (ack && typeof ack === 'object') resolve(ack);
        else resolve({ ok: false, error: { code: 'INTERNAL', message: 'Malformed answer' } });
      });
    });
  }
}
