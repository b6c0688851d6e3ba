import { TestBed } from '@angular/core/testing';
import type { ChatSocket, RealtimeHandlers } from './realtime.service';
import {
  RealtimeService,
  SOCKET_FACTORY,
  UNREACHABLE_AFTER,
  connectErrorReason,
} from './realtime.service';

type Listener = (...args: unknown[]) => void;

class FakeManager {
  listeners = new Map<string, Listener[]>();
  on(event: string, listener: Listener) {
    this.listeners.set(event, [...(this.listeners.get(event) ?? []), listener]);
    return this;
  }
  fire(event: string, ...args: unknown[]) {
    for (const listener of this.listeners.get(event) ?? []) listener(...args);
  }
}

class FakeSocket {
  connected = false;
  active = true;
  io = new FakeManager();
  listeners = new Map<string, Listener[]>();
  emitted: { event: string; payload: unknown; timeout: number }[] = [];
  nextAck: unknown = { ok: true };
  private timeoutMs = 0;
  on(event: string, listener: Listener) {
    this.listeners.set(event, [...(this.listeners.get(event) ?? []), listener]);
    return this;
  }
  off(event: string, listener: Listener) {
    this.listeners.set(
      event,
      (this.listeners.get(event) ?? []).filter((l) => l !== listener),
    );
    return this;
  }
  fire(event: string, ...args: unknown[]) {
    for (const listener of this.listeners.get(event) ?? []) listener(...args);
  }
  timeout(ms: number) {
    this.timeoutMs = ms;
    return this;
  }
  emit(event: string, payload: unknown, callback: (err: Error | null, ack: unknown) => void) {
    this.emitted.push({ event, payload, timeout: this.timeoutMs });
    callback(null, this.nextAck);
  }
  removeAllListeners() {
    this.listeners.clear();
  }
  disconnect() {
    this.connected = false;
  }
  connect() {
    this.connected = true;
  }
}

describe('RealtimeService', () => {
  let socket: FakeSocket;
  let service: RealtimeService;
  let handlers: jest.Mocked<RealtimeHandlers>;
  let options: unknown;

  beforeEach(() => {
    socket = new FakeSocket();
    TestBed.configureTestingModule({
      providers: [
        RealtimeService,
        {
          provide: SOCKET_FACTORY,
          useValue: (_url: string, opts: unknown) => {
            options = opts;
            return socket as unknown as ChatSocket;
          },
        },
      ],
    });
    service = TestBed.inject(RealtimeService);
    handlers = { connected: jest.fn(), unauthorized: jest.fn(), kicked: jest.fn() };
    service.connect('tok', handlers);
  });

  afterEach(() => service.disconnect());

  it('authenticates the handshake and prefers websocket', () => {
    expect(options).toMatchObject({ auth: { token: 'tok' }, transports: ['websocket', 'polling'] });
    expect(service.status()).toBe('connecting');
  });

  it('tells a first connection from a reconnection', () => {
    socket.connected = true;
    socket.fire('connect');
    socket.connected = false;
    socket.fire('disconnect', 'transport close');
    expect(service.status()).toBe('reconnecting');
    socket.connected = true;
    socket.fire('connect');
    expect(handlers.connected.mock.calls).toEqual([[true], [false]]);
    expect(service.status()).toBe('connected');
  });

  it('says "cannot connect" with the reason after a few failed tries, and recovers', () => {
    const refused = Object.assign(new Error('xhr poll error'), {
      description: 403,
      context: { status: 403, responseText: '{"code":4,"message":"Origin not allowed"}' },
    });
    for (let i = 1; i < UNREACHABLE_AFTER; i++) socket.fire('connect_error', refused);
    expect(service.status()).toBe('connecting');
    socket.fire('connect_error', refused);
    expect(service.status()).toBe('unreachable');
    expect(service.failure()).toBe('Origin not allowed');
    socket.connected = true;
    socket.fire('connect');
    expect(service.status()).toBe('connected');
    expect(service.failure()).toBeNull();
  });

  it('counts tries that end without an error (closed before the handshake)', () => {
    for (let i = 0; i < UNREACHABLE_AFTER; i++) socket.io.fire('reconnect_attempt', i + 1);
    expect(service.status()).not.toBe('unreachable');
    socket.io.fire('reconnect_attempt', UNREACHABLE_AFTER + 1);
    expect(service.status()).toBe('unreachable');
    expect(service.failure()).toBe('the connection closes before it is set up');
  });

  it('does not count the first retry after a working connection', () => {
    socket.connected = true;
    socket.fire('connect');
    socket.connected = false;
    socket.fire('disconnect', 'transport close');
    socket.io.fire('reconnect_attempt', 1);
    socket.fire('connect_error', new Error('xhr poll error'));
    socket.io.fire('reconnect_attempt', 2);
    expect(service.status()).toBe('reconnecting');
  });

  it('also asks for the polling fallback, which carries the reason', () => {
    expect(options).toMatchObject({ tryAllTransports: true });
  });

  it('reports a refused session', () => {
    socket.fire('connect_error', new Error('UNAUTHORIZED: session revoked'));
    expect(handlers.unauthorized).toHaveBeenCalled();
  });

  it('does not end the session when the server could not check the token', () => {
    jest.useFakeTimers();
    socket.active = false;
    socket.fire('connect_error', new Error('Unauthorized: Could not check the token, try again'));
    expect(handlers.unauthorized).not.toHaveBeenCalled();
    jest.advanceTimersByTime(2000);
    expect(socket.connected).toBe(true); // tried again
    jest.useRealTimers();
  });

  it('reports the server closing the connection', () => {
    socket.fire('disconnect', 'io server disconnect');
    expect(handlers.kicked).toHaveBeenCalled();
  });

  it('emits with a 10 s ack timeout, and not at all while disconnected', async () => {
    expect(await service.emit('typing:start', { conversationId: 'c' })).toMatchObject({
      ok: false,
      error: { code: 'DISCONNECTED' },
    });
    socket.connected = true;
    socket.nextAck = { ok: false, error: { code: 'FORBIDDEN', message: 'no' } };
    expect(await service.emit('typing:start', { conversationId: 'c' })).toEqual(socket.nextAck);
    expect(socket.emitted).toEqual([
      { event: 'typing:start', payload: { conversationId: 'c' }, timeout: 10_000 },
    ]);
  });

  it('drops the socket when the browser goes offline and reconnects when it is back', () => {
    socket.connected = true;
    socket.fire('connect');
    window.dispatchEvent(new Event('offline'));
    expect(socket.connected).toBe(false);
    expect(service.status()).toBe('reconnecting');
    window.dispatchEvent(new Event('online'));
    expect(socket.connected).toBe(true);
  });
});

describe('connectErrorReason', () => {
  it('prefers the server message, then the status, then a plain sentence', () => {
    expect(
      connectErrorReason({
        message: 'xhr poll error',
        context: { responseText: '{"message":"Too many connections from this address"}' },
      }),
    ).toBe('Too many connections from this address');
    expect(connectErrorReason({ message: 'xhr poll error', description: 502 })).toBe(
      'the server answered 502',
    );
    expect(connectErrorReason(new Error('websocket error'))).toBe('the server cannot be reached');
    expect(connectErrorReason(new Error('timeout'))).toBe('timeout');
  });
});
