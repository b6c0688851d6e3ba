// Load for the fault tests, on the test kit's clients: senders that record every clientId with
// what became of it (acked, refused, no answer), receivers that record what they got, a /health
// sampler, the database checks that decide "exactly once" and "gap-free", and a stalled client.
import { randomBytes, randomUUID } from 'node:crypto';
import { connect as netConnect, type Socket as NetSocket } from 'node:net';
import type { MessageView, PresenceEvent, SocketErrorCode } from '@chat/shared-dto';
import {
  emitAckOrTimeout,
  RestClient,
  sleep,
  withDatabase,
  type ChatSocket,
  type SendAck,
  type TimedOutAck,
} from '@chat/test-kit';

/**
 * Records every `message:new` a socket gets (several sockets in turn: after a reconnect the
 * same recorder is attached to the new one), counting duplicates by message id and the
 * send->receive latency of messages whose content carries the send time.
 */
type How = 'live' | 'ack' | 'catch-up';

export interface Received extends MessageView {
  how: How;
  receivedAt: number;
}

export interface PresenceSeen extends PresenceEvent {
  event: 'online' | 'offline';
  at: number;
}

export class Receiver {
  readonly byId = new Map<string, Received>();
  readonly liveIds = new Set<string>();
  duplicates = 0;
  readonly latencies: number[] = [];
  readonly presence: PresenceSeen[] = [];

  constructor(readonly name: string) {}

  attach(socket: ChatSocket): ChatSocket {
    socket.on('message:new', (m) => this.record(m, 'live'));
    socket.on('user:online', (e) => this.presence.push({ event: 'online', at: Date.now(), ...e }));
    socket.on('user:offline', (e) =>
      this.presence.push({ event: 'offline', at: Date.now(), ...e }),
    );
    return socket;
  }

  record(m: MessageView, how: How): void {
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

  seqs(conversationId: string): number[] {
    return [...this.byId.values()]
      .filter((m) => m.conversationId === conversationId)
      .map((m) => m.seq)
      .sort((a, b) => a - b);
  }

  /** The highest seq below which nothing is missing: what a client passes as `after`. */
  contiguousSeq(conversationId: string): number {
    let last = 0;
    for (const seq of this.seqs(conversationId)) {
      if (seq === last + 1) last = seq;
      else if (seq > last + 1) break;
    }
    return last;
  }

  async catchUp(url: string, token: string, conversationId: string): Promise<number> {
    const missed = await new RestClient(url, token).catchUp(
      conversationId,
      this.contiguousSeq(conversationId),
    );
    for (const m of missed) this.record(m, 'catch-up');
    return missed.length;
  }
}

/**
 * A sender that emits `message:send` at a steady rate without waiting for acks (as a busy
 * client does) and remembers, per clientId, whether an ack came and what it said. Unacked
 * messages can be resent later with the same clientId, possibly through another socket.
 */
export interface SenderOptions {
  name: string;
  socket: ChatSocket;
  conversationId: string;
  ratePerSecond?: number;
  ackTimeoutMs?: number;
  receiver?: Receiver | null;
}

export interface AckSeen {
  at: number;
  ok: boolean;
  code?: SocketErrorCode | 'TIMEOUT';
  seq?: number;
}

export interface SentEntry {
  content: string;
  emittedAt: number;
  acks: AckSeen[];
  attempts: number;
  message?: MessageView;
  /** A second ack naming another message for the same clientId: exactly-once broken. */
  conflict?: MessageView;
}

export class Sender {
  readonly name: string;
  /** A real client shows its own acked messages: they go to its receiver too. */
  readonly receiver: Receiver | null;
  socket: ChatSocket;
  readonly conversationId: string;
  readonly intervalMs: number;
  readonly ackTimeoutMs: number;
  readonly sent = new Map<string, SentEntry>();
  readonly pending = new Set<Promise<SendAck | TimedOutAck>>();
  running = false;

  constructor({
    name,
    socket,
    conversationId,
    ratePerSecond = 50,
    ackTimeoutMs = 10_000,
    receiver = null,
  }: SenderOptions) {
    this.name = name;
    this.receiver = receiver;
    this.socket = socket;
    this.conversationId = conversationId;
    this.intervalMs = 1000 / ratePerSecond;
    this.ackTimeoutMs = ackTimeoutMs;
  }

  /** Emits one message now; resolves with its ack. */
  emitOne(clientId: string = randomUUID(), content?: string): Promise<SendAck | TimedOutAck> {
    const entry: SentEntry = this.sent.get(clientId) ?? {
      content: content ?? `${this.name} #${this.sent.size + 1} @${Date.now()}`,
      emittedAt: Date.now(),
      acks: [],
      attempts: 0,
    };
    this.sent.set(clientId, entry);
    entry.attempts++;
    const payload = { conversationId: this.conversationId, clientId, content: entry.content };
    const done = emitAckOrTimeout(this.socket, 'message:send', payload, this.ackTimeoutMs).then(
      (ack) => {
        entry.acks.push({
          at: Date.now(),
          ok: ack.ok,
          code: ack.ok ? undefined : ack.error.code,
          seq: ack.ok ? ack.message.seq : undefined,
        });
        if (ack.ok) {
          if (entry.message && entry.message.id !== ack.message.id) entry.conflict = ack.message;
          entry.message ??= ack.message;
          this.receiver?.record(ack.message, 'ack');
        }
        return ack;
      },
    );
    this.pending.add(done);
    void done.finally(() => this.pending.delete(done));
    return done;
  }

  /** Sends at the configured rate for `durationMs` (bounded: at most rate * duration messages). */
  async run(durationMs: number): Promise<void> {
    this.running = true;
    const start = Date.now();
    const total = Math.round(durationMs / this.intervalMs);
    for (let i = 0; i < total && this.running; i++) {
      void this.emitOne();
      const next = start + (i + 1) * this.intervalMs;
      await sleep(Math.max(0, next - Date.now()));
    }
    this.running = false;
  }

  /** Waits for every outstanding ack (each has its own timeout, so this ends). */
  async settle(): Promise<void> {
    while (this.pending.size) await Promise.allSettled([...this.pending]);
  }

  get acked(): [string, SentEntry][] {
    return [...this.sent.entries()].filter(([, e]) => e.message);
  }

  get unacked(): [string, SentEntry][] {
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
  }: {
    socket?: ChatSocket;
    attempts?: number;
    concurrency?: number;
    deadlineMs?: number;
  } = {}): Promise<number> {
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

  summary(): Record<string, number> {
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

export interface HealthSample {
  at: number;
  /** 0: no answer within the timeout, or connection refused; null: still waiting. */
  status: number | null;
  ms: number | null;
}

export class HealthSampler {
  readonly samples: HealthSample[] = [];
  private readonly inFlight = new Set<Promise<void>>();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    readonly url: string,
    readonly everyMs = 100,
    readonly timeoutMs = 3000,
  ) {}

  start(): this {
    // Bounded: at most 10 minutes of probes, at most 100 unanswered at once.
    const deadline = Date.now() + 600_000;
    this.timer = setInterval(() => {
      if (Date.now() > deadline) return clearInterval(this.timer);
      if (this.inFlight.size >= 100) return;
      const sample: HealthSample = { at: Date.now(), status: null, ms: null };
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

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await Promise.allSettled([...this.inFlight]);
  }

  /** Probes started in [from, to). */
  between(from: number, to: number): HealthSample[] {
    return this.samples.filter((s) => s.at >= from && s.at < to);
  }

  /** The first probe started at or after `from` that answered this status. */
  firstAfter(from: number, status: number): HealthSample | undefined {
    return this.samples.find((s) => s.at >= from && s.status === status);
  }

  /** First and last probe that answered `status`, and how many did. */
  window(status = 503): { ms: number; count: number } | null {
    const hits = this.samples.filter((s) => s.status === status);
    const first = hits[0];
    const last = hits.at(-1);
    return first && last ? { ms: last.at - first.at, count: hits.length } : null;
  }

  /** Status counts and the slowest answer over probes started in [from, to). */
  describe(
    from: number,
    to: number,
  ): {
    probes: number;
    statuses: Record<string, number>;
    slowestMs: number;
  } {
    const probes = this.between(from, to);
    const statuses: Record<string, number> = {};
    for (const p of probes) statuses[String(p.status)] = (statuses[String(p.status)] ?? 0) + 1;
    return {
      probes: probes.length,
      statuses,
      slowestMs: Math.max(0, ...probes.map((p) => p.ms ?? 0)),
    };
  }
}

// ---------------------------------------------------------------------------------------------
// The database, read directly (our own PostgreSQL): the judge of "stored exactly once".

/**
 * For each sender: how many of its clientIds are stored 0, 1 or more times, whether each acked
 * message is the stored one, and for the conversation whether seq runs 1..N with no gap or dupe
 * and matches `conversations.last_seq`.
 */
export interface SenderReport {
  sent: number;
  acked: number;
  stored: number;
  lost: number;
  duplicates: number;
  unackedNotStored: number;
}

export interface StoredReport {
  lost: number;
  duplicates: number;
  ackMismatch: number;
  stored: number;
  acked: number;
  missingUnacked: number;
  perSender: Record<string, SenderReport>;
  rowsInConversation: number;
  lastSeq: number | undefined;
  seqGaps: number;
  seqDupes: number;
}

export async function verifyStored(
  dbUrl: string,
  conversationId: string,
  senders: Sender[],
): Promise<StoredReport> {
  return withDatabase(dbUrl, async (db) => {
    const report: StoredReport = {
      lost: 0,
      duplicates: 0,
      ackMismatch: 0,
      stored: 0,
      acked: 0,
      missingUnacked: 0,
      perSender: {},
      rowsInConversation: 0,
      lastSeq: undefined,
      seqGaps: 0,
      seqDupes: 0,
    };
    for (const sender of senders) {
      const ids = [...sender.sent.keys()];
      const { rows } = await db.query<{ client_id: string; n: number; id: string; seq: number }>(
        `SELECT client_id, count(*)::int AS n, min(id::text) AS id, min(seq)::int AS seq
           FROM messages WHERE conversation_id = $1 AND client_id = ANY($2::text[]) GROUP BY client_id`,
        [conversationId, ids],
      );
      const byClient = new Map(rows.map((r) => [r.client_id, r]));
      const mine = {
        sent: ids.length,
        acked: 0,
        stored: 0,
        lostAcked: [] as string[],
        duplicated: [] as string[],
        notStored: [] as string[],
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
    const { rows: seqRows } = await db.query<{ seq: number }>(
      `SELECT seq::int AS seq FROM messages WHERE conversation_id = $1 ORDER BY seq`,
      [conversationId],
    );
    const { rows: convRows } = await db.query<{ last_seq: number }>(
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

export function percentile(values: readonly number[], p: number): number | null {
  if (!values.length) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? null;
}

// ---------------------------------------------------------------------------------------------
// A stalled consumer: a hand-made WebSocket connection to Socket.IO that authenticates, reads
// until the server has accepted it, then never reads again (nor answers pings). Unlike a
// paused socket.io-client, nothing on the client side gives up: whatever protects the server
// must be the server's doing.

export interface StalledClient {
  socket: NetSocket;
  close(): void;
}

export function stalledClient(
  url: string,
  token: string,
  { timeoutMs = 10_000 }: { timeoutMs?: number } = {},
): Promise<StalledClient> {
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
    const onData = (chunk: Buffer): void => {
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
function wsTextFrame(text: string): Buffer {
  const payload = Buffer.from(text);
  const mask = randomBytes(4);
  const header =
    payload.length < 126
      ? Buffer.from([0x81, 0x80 | payload.length])
      : Buffer.from([0x81, 0x80 | 126, payload.length >> 8, payload.length & 0xff]);
  const masked = Buffer.from(payload.map((b, i) => b ^ (mask[i % 4] ?? 0)));
  return Buffer.concat([header, mask, masked]);
}
