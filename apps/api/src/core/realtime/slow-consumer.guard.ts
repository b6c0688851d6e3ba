import type { Socket } from 'socket.io';

/** Bytes a client may leave unread before it is dropped (it catches up with `after=<seq>`). */
export const MAX_UNREAD_BYTES = 8 * 1024 * 1024;
/**
 * Packets Engine.IO may queue for a client whose transport is still busy with an earlier
 * write: a stalled WebSocket never finishes its write, so the queue is where the rest piles up.
 */
export const MAX_QUEUED_PACKETS = 2000;
const CHECK_EVERY_MS = 1000;

/** What Engine.IO exposes of a connection's queues. */
interface EngineConnection {
  writeBuffer?: unknown[];
  transport: { socket?: { bufferedAmount?: number } };
}

/**
 * A client that stops reading would make the server buffer everything sent to it until the
 * heartbeat gives up (40 s x the traffic). Checking each socket's unsent bytes once a second
 * bounds that by bytes instead.
 */
export function dropSlowConsumers(sockets: () => Iterable<Socket>): NodeJS.Timeout {
  const timer = setInterval(() => {
    for (const socket of sockets()) {
      const conn = socket.conn as unknown as EngineConnection;
      const queued = conn.writeBuffer?.length ?? 0;
      const unread = conn.transport.socket?.bufferedAmount ?? 0;
      if (queued > MAX_QUEUED_PACKETS || unread > MAX_UNREAD_BYTES) socket.disconnect(true);
    }
  }, CHECK_EVERY_MS);
  timer.unref();
  return timer;
}
