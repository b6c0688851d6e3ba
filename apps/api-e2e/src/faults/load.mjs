// Clients for the fault tests: REST helpers, Socket.IO connections, senders that record every
// clientId with what became of it (acked, refused, no answer), receivers that record what they
// got, a /health sampler, and the database checks that decide "exactly once" and "gap-free".
import { randomBytes, randomUUID } from 'node:crypto';
import { connect as netConnect } from 'node:net';
import pg from 'pg';
import { io } from 'socket.io-client';
import { sleep, until } from './processes.mjs';

// ---------------------------------------------------------------------------------------------
// REST

export async function api(url, token, method, path, body) {
  const res = await fetch(`${url}${path}`, {
    method,
    headers: {
      ...(body ? { 'content-type': 'application/json' } : {}),
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: body ? JSON.stringify(body) : undefined,
    signal: AbortSignal.timeout(10_000),
  });
  const text = await res.text();
  let json = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    json = text;
  }
  return { status: res.status, body: json };
}

let users = 0;
/** Registers a fresh user; answers `{ user, token }`. */
export async function register(url, label) {
  const tag =
    `${label}${process.pid.toString(36)}${(++users).toString(36)}${Date.now().toString(36)}`.slice(
      0,
      30,
    );
  const res = await api(url, null, 'POST', '/api/auth/register', {
    username: tag,
    email: `${tag}@faults.test`,
    password: 'fault-injection-pass',
  });
  if (res.status !== 201)
    throw new Error(`register ${label}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

export async function group(url, owner, members, name = 'faults') {
  const res = await api(url, owner.token, 'POST', '/api/conversations', {
    type: 'group',
    name,
    memberIds: members.map((m) => m.user.id),
  });
  if (res.status !== 201) throw new Error(`group: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

export async function direct(url, a, b) {
  const res = await api(url, a.token, 'POST', '/api/conversations', { userId: b.user.id });
  if (res.status !== 201 && res.status !== 200)
    throw new Error(`direct: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

/**
 * Gap-free catch-up as the contract tells clients to do it: `after=<last seq>` page by page
 * until a short page. Answers the messages in ascending seq.
 */
export async function catchUp(url, token, conversationId, afterSeq) {
  const got = [];
  let after = afterSeq;
  for (let page = 0; page < 1000; page++) {
    const res = await api(
      url,
      token,
      'GET',
      `/api/conversations/${conversationId}/messages?after=${after}&limit=100`,
    );
    if (res.status !== 200) throw new Error(`catch-up: ${res.status} ${JSON.stringify(res.body)}`);
    got.push(...res.body);
    if (res.body.length < 100) return got;
    after = res.body[res.body.length - 1].seq;
  }
  throw new Error('catch-up did not end');
}

// ---------------------------------------------------------------------------------------------
// Sockets

const sockets = new Set();

/** Connects with the token and waits for `connect`; reconnection is ours to decide. */
export async function connect(url, token, { reconnection = false, timeoutMs = 10_000 } = {}) {
  const socket = io(url, {
    auth: { token },
    transports: ['websocket'],
    reconnection,
    forceNew: true,
    timeout: timeoutMs,
  });
  sockets.add(socket);
  await new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`no connect to ${url} in ${timeoutMs} ms`)),
      timeoutMs,
    );
    socket.once('connect', () => {
      clearTimeout(timer);
      resolve();
    });
    socket.once('connect_error', (err) => {
      clearTimeout(timer);
      socket.close();
      reject(err);
    });
  });
  return socket;
}

export function closeAllSockets() {
  for (const socket of sockets) socket.close();
  sockets.clear();
}

/** Emits with an ack and a timeout: answers the ack, or `{ ok: false, timeout: true }`. */
export function emitAck(socket, event, payload, timeoutMs = 10_000) {
  return new Promise((resolve) => {
    socket.timeout(timeoutMs).emit(event, payload, (err, ack) => {
      resolve(
        err
          ? {
              ok: false,
              timeout: true,
              error: { code: 'TIMEOUT', message: String(err.message ?? err) },
            }
          : ack,
      );
    });
  });
}

/**
 * Records every `message:new` a socket gets (several sockets in turn: after a reconnect the
 * same recorder is attached to the new one), counting duplicates by message id and the
 * send->receive latency of messages whose content carries the send time.
 */
export class Receiver {
  constructor(name) {
    this.name = name;
    this.byId = new Map();
    this.liveIds = new Set();
    this.duplicates = 0;
    this.latencies = [];
    this.presence = [];
  }

  attach(socket) {
    socket.on('message:new', (m) => this.record(m, 'live'));
    socket.on('user:online', (e) => this.presence.push({ event: 'online', at: Date.now(), ...e }));
    socket.on('user:offline', (e) =>
      this.presence.push({ event: 'offline', at: Date.now(), ...e }),
    );
    return socket;
  }

  record(m, how) {
    if (how === 'live') {
      // The same message:new twice is a duplicate; live after an ack or a catch-up is not.
      if (this.liveIds.has(m.id)) this.duplicates++;
      this.liveIds.add(m.id);
    }
    if (this.byId.has(m.id)) return;
    this.byId.set(m.id, { ...m, how, receivedAt: Date.now() });
    const sentAt = Number(/@(\d+)$/.exec(m.content)?.[1]);
    if (how === 'live' && sentAt) this.latencies.push(Date.now() - sentAt);
  }

  seqs(conversationId) {
    return [...this.byId.values()]
      .filter((m) => m.conversationId === conversationId)
      .map((m) => m.seq)
      .sort((a, b) => a - b);
  }

  /** The highest seq below which nothing is missing: what a client passes as `after`. */
  contiguousSeq(conversationId) {
    let last = 0;
    for (const seq of this.seqs(conversationId)) {
      if (seq === last + 1) last = seq;
      else if (seq > last + 1) break;
    }
    return last;
  }

  async catchUp(url, token, conversationId) {
    const missed = await catchUp(url, token, conversationId, this.contiguousSeq(conversationId));
    for (const m of missed) this.record(m, 'catch-up');
    return missed.length;
  }
}

/**
 * A sender that emits `message:send` at a steady rate without waiting for acks (as a busy
 * client does) and remembers, per clientId, whether an ack came and what it said. Unacked
 * messages can be resent later with the same clientId, possibly through another socket.
 */
export class Sender {
  constructor({
    name,
    socket,
    conversationId,
    ratePerSecond = 50,
    ackTimeoutMs = 10_000,
    receiver = null,
  }) {
    this.name = name;
    /** A real client shows its own acked messages: they go to its receiver too. */
    this.receiver = receiver;
    this.socket = socket;
    this.conversationId = conversationId;
    this.intervalMs = 1000 / ratePerSecond;
    this.ackTimeoutMs = ackTimeoutMs;
    /** clientId -> { content, emittedAt, acks: [], message?, attempts } */
    this.sent = new Map();
    this.pending = new Set();
    this.running = false;
  }

  /** Emits one message now; resolves with its ack. */
  emitOne(clientId = randomUUID(), content) {
    const entry = this.sent.get(clientId) ?? {
      content: content ?? `${this.name} #${this.sent.size + 1} @${Date.now()}`,
      emittedAt: Date.now(),
      acks: [],
      attempts: 0,
    };
    this.sent.set(clientId, entry);
    entry.attempts++;
    const payload = { conversationId: this.conversationId, clientId, content: entry.content };
    const done = emitAck(this.socket, 'message:send', payload, this.ackTimeoutMs).then((ack) => {
      entry.acks.push({
        at: Date.now(),
        ok: ack?.ok === true,
        code: ack?.error?.code,
        seq: ack?.message?.seq,
      });
      if (ack?.ok) {
        if (entry.message && entry.message.id !== ack.message.id) entry.conflict = ack.message;
        entry.message ??= ack.message;
        this.receiver?.record(ack.message, 'ack');
      }
      return ack;
    });
    this.pending.add(done);
    done.finally(() => this.pending.delete(done));
    return done;
  }

  /** Sends at the configured rate for `durationMs` (bounded: at most rate * duration messages). */
  async run(durationMs) {
    this.running = true;
    const start = Date.now();
    const total = Math.round(durationMs / this.intervalMs);
    for (let i = 0; i < total && this.running; i++) {
      this.emitOne();
      const next = start + (i + 1) * this.intervalMs;
      await sleep(Math.max(0, next - Date.now()));
    }
    this.running = false;
  }

  /** Waits for every outstanding ack (each has its own timeout, so this ends). */
  async settle() {
    while (this.pending.size) await Promise.allSettled([...this.pending]);
  }

  get acked() {
    return [...this.sent.entries()].filter(([, e]) => e.message);
  }

  get unacked() {
    return [...this.sent.entries()].filter(([, e]) => !e.message);
  }

  /**
   * Resends every unacked message with its original clientId until each is acked, a few at a
   * time, giving up after `attempts` rounds.
   */
  async resendUnacked({
    socket = this.socket,
    attempts = 5,
    concurrency = 20,
    deadlineMs = 30_000,
  } = {}) {
    this.socket = socket;
    if (!socket.connected)
      throw new Error(`${this.name}: cannot resend, the socket is not connected`);
    const deadline = Date.now() + deadlineMs;
    for (let round = 0; round < attempts && this.unacked.length && Date.now() < deadline; round++) {
      const todo = this.unacked.map(([clientId]) => clientId);
      for (let i = 0; i < todo.length; i += concurrency) {
        await Promise.all(todo.slice(i, i + concurrency).map((clientId) => this.emitOne(clientId)));
      }
      if (this.unacked.length) await sleep(500);
    }
    return this.unacked.length;
  }

  summary() {
    const entries = [...this.sent.values()];
    return {
      sent: entries.length,
      ackedFirstTry: entries.filter((e) => e.acks[0]?.ok).length,
      refusedFirstTry: entries.filter(
        (e) => e.acks[0] && !e.acks[0].ok && e.acks[0].code !== 'TIMEOUT',
      ).length,
      timedOutFirstTry: entries.filter((e) => e.acks[0]?.code === 'TIMEOUT').length,
      resent: entries.filter((e) => e.attempts > 1).length,
      ackedFinally: entries.filter((e) => e.message).length,
      conflictingAcks: entries.filter((e) => e.conflict).length,
    };
  }
}

// ---------------------------------------------------------------------------------------------
// /health sampler: a probe every `everyMs`, each on its own (a slow answer does not delay the
// next probe, as with a load balancer's health check), recording status and answer time.

export class HealthSampler {
  constructor(url, everyMs = 100, timeoutMs = 3000) {
    this.url = url;
    this.everyMs = everyMs;
    this.timeoutMs = timeoutMs;
    this.samples = [];
    this.inFlight = new Set();
  }

  start() {
    // Bounded: at most 10 minutes of probes, at most 100 unanswered at once.
    const deadline = Date.now() + 600_000;
    this.timer = setInterval(() => {
      if (Date.now() > deadline) return clearInterval(this.timer);
      if (this.inFlight.size >= 100) return;
      const sample = { at: Date.now(), status: null, ms: null };
      this.samples.push(sample);
      const probe = fetch(`${this.url}/health`, { signal: AbortSignal.timeout(this.timeoutMs) })
        .then(async (res) => {
          await res.arrayBuffer();
          sample.status = res.status;
        })
        .catch(() => {
          sample.status = 0; // no answer within the timeout, or connection refused
        })
        .finally(() => {
          sample.ms = Date.now() - sample.at;
          this.inFlight.delete(probe);
        });
      this.inFlight.add(probe);
    }, this.everyMs);
    return this;
  }

  async stop() {
    clearInterval(this.timer);
    await Promise.allSettled([...this.inFlight]);
  }

  /** Probes started in [from, to). */
  between(from, to) {
    return this.samples.filter((s) => s.at >= from && s.at < to);
  }

  /** The first probe started at or after `from` that answered this status. */
  firstAfter(from, status) {
    return this.samples.find((s) => s.at >= from && s.status === status);
  }

  /** First and last probe that answered `status`, and how many did. */
  window(status = 503) {
    const hits = this.samples.filter((s) => s.status === status);
    return hits.length ? { ms: hits[hits.length - 1].at - hits[0].at, count: hits.length } : null;
  }

  /** Status counts and the slowest answer over probes started in [from, to). */
  describe(from, to) {
    const probes = this.between(from, to);
    const statuses = {};
    for (const p of probes) statuses[p.status] = (statuses[p.status] ?? 0) + 1;
    return {
      probes: probes.length,
      statuses,
      slowestMs: Math.max(0, ...probes.map((p) => p.ms ?? 0)),
    };
  }
}

// ---------------------------------------------------------------------------------------------
// The database, read directly (our own PostgreSQL): the judge of "stored exactly once".

export async function withDb(url, fn) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/**
 * For each sender: how many of its clientIds are stored 0, 1 or more times, whether each acked
 * message is the stored one, and for the conversation whether seq runs 1..N with no gap or dupe
 * and matches `conversations.last_seq`.
 */
export async function verifyStored(dbUrl, conversationId, senders) {
  return withDb(dbUrl, async (db) => {
    const report = {
      lost: 0,
      duplicates: 0,
      ackMismatch: 0,
      stored: 0,
      acked: 0,
      missingUnacked: 0,
      perSender: {},
    };
    for (const sender of senders) {
      const ids = [...sender.sent.keys()];
      const { rows } = await db.query(
        `SELECT client_id, count(*)::int AS n, min(id::text) AS id, min(seq)::int AS seq
           FROM messages WHERE conversation_id = $1 AND client_id = ANY($2::text[]) GROUP BY client_id`,
        [conversationId, ids],
      );
      const byClient = new Map(rows.map((r) => [r.client_id, r]));
      const mine = {
        sent: ids.length,
        acked: 0,
        stored: 0,
        lostAcked: [],
        duplicated: [],
        notStored: [],
      };
      for (const [clientId, entry] of sender.sent) {
        const row = byClient.get(clientId);
        if (row) mine.stored++;
        if (row && row.n > 1) mine.duplicated.push(clientId);
        if (entry.message) {
          mine.acked++;
          if (!row) mine.lostAcked.push(clientId);
          else if (row.id !== entry.message.id || row.seq !== entry.message.seq)
            report.ackMismatch++;
        } else if (!row) {
          mine.notStored.push(clientId);
        }
      }
      report.perSender[sender.name] = {
        sent: mine.sent,
        acked: mine.acked,
        stored: mine.stored,
        lost: mine.lostAcked.length,
        duplicates: mine.duplicated.length,
        unackedNotStored: mine.notStored.length,
      };
      report.lost += mine.lostAcked.length;
      report.duplicates += mine.duplicated.length;
      report.stored += mine.stored;
      report.acked += mine.acked;
      report.missingUnacked += mine.notStored.length;
    }
    const { rows: seqRows } = await db.query(
      `SELECT seq::int AS seq FROM messages WHERE conversation_id = $1 ORDER BY seq`,
      [conversationId],
    );
    const { rows: convRows } = await db.query(
      `SELECT last_seq::int AS last_seq FROM conversations WHERE id = $1`,
      [conversationId],
    );
    const seqs = seqRows.map((r) => r.seq);
    report.rowsInConversation = seqs.length;
    report.lastSeq = convRows[0]?.last_seq;
    report.seqGaps = seqs.filter((s, i) => s !== i + 1).length;
    report.seqDupes = seqs.length - new Set(seqs).size;
    return report;
  });
}

export function percentile(values, p) {
  if (!values.length) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

export { until, sleep };

// ---------------------------------------------------------------------------------------------
// A stalled consumer: a hand-made WebSocket connection to Socket.IO that authenticates, reads
// until the server has accepted it, then never reads again (nor answers pings). Unlike a
// paused socket.io-client, nothing on the client side gives up: whatever protects the server
// must be the server's doing.

export function stalledClient(url, token, { timeoutMs = 10_000 } = {}) {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const sock = netConnect({ host: hostname, port: Number(port) });
    const timer = setTimeout(() => {
      sock.destroy();
      reject(new Error('stalled client: no Socket.IO connect in time'));
    }, timeoutMs);
    let seen = '';
    sock.once('connect', () => {
      sock.write(
        `GET /socket.io/?EIO=4&transport=websocket HTTP/1.1\r\nHost: ${hostname}:${port}\r\n` +
          `Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: ${randomBytes(16).toString('base64')}\r\n` +
          `Sec-WebSocket-Version: 13\r\n\r\n`,
      );
      // Socket.IO CONNECT to the default namespace with the token (sent after engine.io's open).
      sock.write(wsTextFrame(`40${JSON.stringify({ token })}`));
    });
    const onData = (chunk) => {
      seen += chunk.toString('latin1');
      if (seen.includes('40{"sid"')) {
        // Accepted: from now on nothing is read; the kernel buffers fill, then the server's.
        clearTimeout(timer);
        sock.off('data', onData);
        sock.pause();
        resolve({ socket: sock, close: () => sock.destroy() });
      } else if (seen.includes('44{')) {
        clearTimeout(timer);
        sock.destroy();
        reject(
          new Error(
            `stalled client refused: ${seen.slice(seen.indexOf('44{'), seen.indexOf('44{') + 200)}`,
          ),
        );
      }
    };
    sock.on('data', onData);
    sock.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
  });
}

/** A masked client-to-server text frame (RFC 6455 5.2), payload under 64 KiB. */
function wsTextFrame(text) {
  const payload = Buffer.from(text);
  const mask = randomBytes(4);
  const header =
    payload.length < 126
      ? Buffer.from([0x81, 0x80 | payload.length])
      : Buffer.from([0x81, 0x80 | 126, payload.length >> 8, payload.length & 0xff]);
  const masked = Buffer.from(payload.map((b, i) => b ^ mask[i % 4]));
  return Buffer.concat([header, mask, masked]);
}
