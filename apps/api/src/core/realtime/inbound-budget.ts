import type { Ack } from '@chat/shared-dto';
import type { Socket } from 'socket.io';

export interface InboundBudget {
  /** Packets per window; 0: not counted. */
  packets: number;
  /** Bytes per window; 0: not counted. */
  bytes: number;
  windowMs: number;
}

/** What happened to the packet just counted. */
export type Verdict = 'within' | 'refuse' | 'disconnect';

/**
 * Fixed-window counts of what one connection sent. Past the budget a packet is refused; at
 * twice the budget the sender is not slowing down, and the connection is closed.
 */
export class InboundMeter {
  private windowStart: number;
  private packets = 0;
  private bytes = 0;

  constructor(
    private readonly budget: InboundBudget,
    now = Date.now(),
  ) {
    this.windowStart = now;
  }

  count(bytes: number, now = Date.now()): Verdict {
    if (now - this.windowStart >= this.budget.windowMs) {
      this.windowStart = now;
      this.packets = 0;
      this.bytes = 0;
    }
    this.packets += 1;
    this.bytes += bytes;
    const load = Math.max(
      this.budget.packets > 0 ? this.packets / this.budget.packets : 0,
      this.budget.bytes > 0 ? this.bytes / this.budget.bytes : 0,
    );
    if (load >= 2) return 'disconnect';
    return load > 1 ? 'refuse' : 'within';
  }
}

const OVER_BUDGET: Ack = {
  ok: false,
  error: { code: 'RATE_LIMITED', message: 'Too much traffic on this connection: slow down' },
};

function sizeOf(data: unknown): number {
  if (typeof data === 'string') return Buffer.byteLength(data);
  if (Buffer.isBuffer(data) || data instanceof ArrayBuffer) return data.byteLength;
  return 0;
}

/**
 * Meters every packet the connection receives (events without a handler and without an ack
 * included: those cost parsing too). Counting happens on the transport, before the event is
 * decoded into a handler call; a refused event gets a RATE_LIMITED ack when it asked for one.
 */
export function meterInbound(
  socket: Socket,
  budget: InboundBudget,
  onDisconnect: (socket: Socket) => void,
): void {
  if (budget.packets <= 0 && budget.bytes <= 0) return;
  const meter = new InboundMeter(budget);
  let verdict: Verdict = 'within';
  socket.conn.on('packet', (packet: { type: string; data?: unknown }) => {
    verdict = meter.count(sizeOf(packet.data));
    if (verdict === 'disconnect' && socket.connected) {
      onDisconnect(socket);
      socket.disconnect(true);
    }
  });
  socket.use((event, next) => {
    if (verdict === 'within') return next();
    const ack = event[event.length - 1] as unknown;
    if (typeof ack === 'function') (ack as (response: Ack) => void)(OVER_BUDGET);
  });
}
