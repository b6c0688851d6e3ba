// One load-generator process: holds a share of the socket.io-client connections, sends
// `message:send` at its share of the offered rate (open loop: a slow server does not slow the
// senders, so queueing shows up as latency instead of being hidden), and records ack and
// send->receive latencies. Controlled by the parent over IPC (see cluster-of-clients.mjs).
import { io } from 'socket.io-client';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';

const sockets = []; // { user, socket, convs, seen: Set<clientId> }
let setup = null;
let clientSeq = 0;
let inFlight = 0;
const steps = new Map(); // step id -> bucket
const acked = new Map(); // clientId -> expected recipients
const received = new Map(); // clientId -> distinct recipients that got it
let unexpectedDisconnects = 0;
let filler = '';

/**
 * Wall-clock milliseconds with sub-ms resolution that agree across processes: anchored on the
 * instant Date.now() ticks over (spin of at most 1 ms), then advanced by the monotonic clock.
 */
let anchor = 0;
function reanchor() {
  const start = Date.now();
  let t = start;
  for (let i = 0; i < 5_000_000 && t === start; i++) t = Date.now();
  anchor = t - performance.now();
}
const now = () => anchor + performance.now();

function bucket(step) {
  let b = steps.get(step);
  if (!b) {
    b = {
      sent: 0,
      acked: 0,
      skipped: 0,
      errors: {},
      ackLat: [],
      e2eLat: [],
      received: 0,
      dups: 0,
      firstSendAt: 0,
      lastSendAt: 0,
      lastAckAt: 0,
      lastRecvAt: 0,
      expectedDeliveries: 0,
    };
    steps.set(step, b);
  }
  return b;
}

function onMessage(entry, m) {
  const t = now();
  if (entry.seen.has(m.clientId)) {
    const tag = Number(String(m.content).split('|', 1)[0]);
    if (steps.has(tag)) steps.get(tag).dups++;
    return;
  }
  entry.seen.add(m.clientId);
  received.set(m.clientId, (received.get(m.clientId) ?? 0) + 1);
  const [tag, sentAt] = String(m.content).split('|', 2);
  const b = steps.get(Number(tag));
  if (!b) return;
  b.received++;
  b.lastRecvAt = t;
  b.e2eLat.push(t - Number(sentAt));
}

async function connectAll({
  url,
  users,
  localAddresses = [],
  concurrency = 100,
  authWithUserId = false,
}) {
  let failed = 0;
  const errors = {};
  let next = 0;
  const connectOne = (user, i) =>
    new Promise((resolve) => {
      const socket = io(url, {
        transports: ['websocket'],
        auth: authWithUserId ? { token: user.id, userId: user.id } : { token: user.token },
        reconnection: false,
        forceNew: true,
        timeout: 30_000,
        ...(localAddresses.length
          ? { localAddress: localAddresses[i % localAddresses.length] }
          : {}),
      });
      const convs = user.convs ?? [];
      const entry = {
        user,
        socket,
        convs,
        direct: convs.filter((c) => !c.group),
        groups: convs.filter((c) => c.group),
        seen: new Set(),
      };
      socket.on('message:new', (m) => onMessage(entry, m));
      socket.once('connect', () => {
        sockets.push(entry);
        socket.on('disconnect', (reason) => {
          if (reason !== 'io client disconnect') unexpectedDisconnects++;
        });
        resolve();
      });
      socket.once('connect_error', (err) => {
        failed++;
        // "websocket error" alone says nothing: add the underlying cause (EMFILE, ECONNRESET...).
        const cause =
          err.description?.error?.code ?? err.description?.message ?? err.description?.code ?? '';
        const key = cause ? `${err.message}: ${cause}` : err.message;
        errors[key] = (errors[key] ?? 0) + 1;
        socket.close();
        resolve();
      });
    });
  const lanes = Array.from({ length: Math.min(concurrency, users.length) }, async () => {
    while (next < users.length) {
      const i = next++;
      await connectOne(users[i], i);
    }
  });
  await Promise.all(lanes);
  return { connected: sockets.length, failed, errors };
}

/** Sends at `rate` msg/s for `durationMs`, spread over this worker's sockets at random. */
function runStep({
  step,
  rate,
  durationMs,
  groupShare = 0.1,
  ackTimeoutMs = 30_000,
  maxInFlight = 50_000,
}) {
  reanchor();
  const b = bucket(step);
  const senders = sockets.filter((s) => s.convs.length > 0);
  const elu0 = performance.eventLoopUtilization();
  const cpu0 = process.cpuUsage();
  const lag = monitorEventLoopDelay({ resolution: 5 });
  lag.enable();
  return new Promise((resolve) => {
    if (senders.length === 0 || rate <= 0) return resolve({ sent: 0 });
    const t0 = performance.now();
    b.firstSendAt = now();
    let due = 0;
    const tick = () => {
      const elapsed = performance.now() - t0;
      const target = Math.floor((rate * Math.min(elapsed, durationMs)) / 1000);
      // Bounded by the target count and by the in-flight cap (the generator's own safety net).
      for (; due < target; due++) {
        if (inFlight >= maxInFlight) {
          b.skipped++;
          continue;
        }
        send(senders[(Math.random() * senders.length) | 0], step, b, groupShare, ackTimeoutMs);
      }
      if (elapsed < durationMs) setTimeout(tick, 1);
      else {
        b.lastSendAt = now();
        lag.disable();
        const cpu = process.cpuUsage(cpu0);
        resolve({
          sent: b.sent,
          skipped: b.skipped,
          eventLoopP99Ms: lag.percentile(99) / 1e6,
          eventLoopUtilization: performance.eventLoopUtilization(elu0).utilization,
          cpuPct: ((cpu.user + cpu.system) / 1000 / durationMs) * 100,
        });
      }
    };
    tick();
  });
}

/** Sends awaiting their ack, oldest first (Map keeps insertion order) for the timeout sweep. */
const pending = new Map(); // clientId -> { sentAt, b, recipients }
let ackTimeoutMs = 30_000;

// One sweep a second instead of a timer per emit (socket.timeout()), which at thousands of
// sends per second costs the generator more CPU than the measurement can afford.
setInterval(() => {
  const limit = now() - ackTimeoutMs;
  for (const [clientId, p] of pending) {
    if (p.sentAt > limit) break;
    pending.delete(clientId);
    inFlight--;
    p.b.errors.TIMEOUT = (p.b.errors.TIMEOUT ?? 0) + 1;
  }
}, 1000).unref();

function send(entry, step, b, groupShare, timeoutMs) {
  ackTimeoutMs = timeoutMs;
  const useGroup =
    entry.groups.length > 0 && (entry.direct.length === 0 || Math.random() < groupShare);
  const pool = useGroup ? entry.groups : entry.direct;
  const conv = pool[(Math.random() * pool.length) | 0];
  const clientId = `${setup.runTag}${setup.workerIndex}.${(clientSeq++).toString(36)}`;
  const sentAt = now();
  const content = `${step}|${sentAt.toFixed(3)}|${filler}`;
  b.sent++;
  inFlight++;
  pending.set(clientId, { sentAt, b, recipients: conv.recipients });
  entry.socket.emit('message:send', { conversationId: conv.id, clientId, content }, (res) => {
    // Late acks of sends already counted as timed out are ignored.
    if (!pending.delete(clientId)) return;
    inFlight--;
    const t = now();
    if (!res?.ok) {
      const code = res?.error?.code ?? 'UNKNOWN';
      b.errors[code] = (b.errors[code] ?? 0) + 1;
      return;
    }
    b.acked++;
    b.lastAckAt = t;
    b.ackLat.push(t - sentAt);
    b.expectedDeliveries += conv.recipients;
    acked.set(clientId, conv.recipients);
  });
}

function reply(id, body) {
  process.send({ id, ...body });
}

/** Large arrays go back in chunks so no single IPC message is huge. */
function sendChunks(id, name, entries, size = 20_000) {
  for (let i = 0; i < entries.length; i += size)
    reply(id, { chunk: name, entries: entries.slice(i, i + size) });
}

process.on('message', async (msg) => {
  const { id, type } = msg;
  try {
    switch (type) {
      case 'setup': {
        setup = msg;
        filler = 'x'.repeat(Math.max(0, (msg.contentSize ?? 64) - 30));
        reanchor();
        const result = await connectAll(msg);
        return reply(id, { result });
      }
      case 'step':
        return reply(id, { result: await runStep(msg) });
      case 'progress': {
        const b = bucket(msg.step);
        return reply(id, {
          result: {
            inFlight,
            sent: b.sent,
            acked: b.acked,
            failed: Object.values(b.errors).reduce((a, n) => a + n, 0),
            received: b.received,
            expectedDeliveries: b.expectedDeliveries,
            connected: sockets.filter((s) => s.socket.connected).length,
            unexpectedDisconnects,
          },
        });
      }
      case 'stepReport': {
        const b = bucket(msg.step);
        const { ackLat, e2eLat, ...rest } = b;
        // Samples as Float64Array buffers would not survive JSON IPC; plain arrays do.
        return reply(id, { result: { ...rest, ackLat, e2eLat } });
      }
      case 'final': {
        sendChunks(id, 'acked', [...acked]);
        sendChunks(id, 'received', [...received]);
        return reply(id, { result: { unexpectedDisconnects, inFlight } });
      }
      case 'close': {
        for (const s of sockets) s.socket.disconnect();
        reply(id, { result: true });
        setTimeout(() => process.exit(0), 200);
        return;
      }
      default:
        return reply(id, { error: `unknown command ${type}` });
    }
  } catch (err) {
    reply(id, { error: err?.stack ?? String(err) });
  }
});

process.on('disconnect', () => process.exit(0));
