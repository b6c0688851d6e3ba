// The raw reference the product is measured against: the least a Socket.IO chat relay can do.
//   (a) no database: take `message:send`, ack, emit `message:new` to the recipients' rooms;
//   (b) RELAY_DATABASE_URL set: the same, but each message is first stored with the same `pg`
//       driver by group commit: messages accumulate while one batch is in flight, each batch is
//       one multi-row INSERT (its own implicit transaction), and acks and emits follow its commit.
// Same wire shapes as the product (contract), no JWT, no Redis adapter, no validation, no
// membership queries: the conversation members are loaded once through POST /members.
import { createServer } from 'node:http';
import { randomUUID } from 'node:crypto';
import { Server } from 'socket.io';
import pg from 'pg';

const PORT = Number(process.env.PORT ?? 3100);
const DB_URL = process.env.RELAY_DATABASE_URL ?? '';
/** 7 parameters per row; PostgreSQL allows 65535 per statement. */
const MAX_BATCH = Math.min(Number(process.env.RELAY_MAX_BATCH ?? 2000), 9000);
const TABLE = 'bench_relay_messages';

const members = new Map(); // conversationId -> userId[]
const lastSeq = new Map(); // conversationId -> seq, assigned in memory (gap-free: one writer)
const stats = { received: 0, acked: 0, batches: 0, rows: 0, maxBatch: 0, errors: 0 };

const http = createServer((req, res) => {
  if (req.method === 'GET' && req.url === '/health') return void res.end('ok');
  if (req.method === 'GET' && req.url === '/stats') return void res.end(JSON.stringify(stats));
  if (req.method === 'POST' && req.url === '/members') {
    let body = '';
    req.on('data', (d) => (body += d));
    req.on('end', () => {
      for (const [conversationId, userIds] of Object.entries(JSON.parse(body)))
        members.set(conversationId, userIds);
      res.end(JSON.stringify({ conversations: members.size }));
    });
    return;
  }
  res.statusCode = 404;
  res.end();
});

// The product's Socket.IO settings, so both pay the same per-connection costs.
const io = new Server(http, {
  maxHttpBufferSize: 64 * 1024,
  pingInterval: 20_000,
  pingTimeout: 20_000,
  connectTimeout: 10_000,
});
io.use((socket, next) => {
  // The load generator sends the user id as the token: trust it, this is a reference, not a product.
  const userId = socket.handshake.auth?.userId ?? socket.handshake.auth?.token;
  if (typeof userId !== 'string') return next(new Error('Unauthorized'));
  socket.data.userId = userId;
  next();
});

const db = DB_URL ? new pg.Client({ connectionString: DB_URL }) : null;
let pending = [];
let inFlight = false;

io.on('connection', (socket) => {
  socket.join(`user:${socket.data.userId}`);
  socket.on('message:send', (payload, ack) => {
    stats.received++;
    const reply = typeof ack === 'function' ? ack : () => undefined;
    const users = members.get(payload?.conversationId);
    if (!users || !users.includes(socket.data.userId) || typeof payload.clientId !== 'string') {
      return reply({ ok: false, error: { code: 'NOT_FOUND', message: 'unknown conversation' } });
    }
    const seq = (lastSeq.get(payload.conversationId) ?? 0) + 1;
    lastSeq.set(payload.conversationId, seq);
    const message = {
      id: randomUUID(),
      conversationId: payload.conversationId,
      seq,
      senderId: socket.data.userId,
      content: String(payload.content ?? ''),
      type: 'text',
      fileUrl: null,
      thumbnailUrl: null,
      clientId: payload.clientId,
      createdAt: new Date().toISOString(),
    };
    const item = { message, users, socketId: socket.id, reply };
    if (!db) return publish(item);
    pending.push(item);
    if (!inFlight) void flush();
  });
});

function publish({ message, users, socketId, reply }) {
  stats.acked++;
  reply({ ok: true, message });
  io.to(users.map((u) => `user:${u}`))
    .except(socketId)
    .emit('message:new', message);
}

/** Group commit: one INSERT for everything that arrived while the previous one was in flight. */
async function flush() {
  inFlight = true;
  try {
    // Bounded: each round drains up to MAX_BATCH items and stops when nothing is pending.
    while (pending.length > 0) {
      const batch = pending.length <= MAX_BATCH ? pending : pending.slice(0, MAX_BATCH);
      pending = pending.length <= MAX_BATCH ? [] : pending.slice(MAX_BATCH);
      const values = [];
      const params = [];
      for (const { message: m } of batch) {
        const b = params.length;
        values.push(
          `($${b + 1}, $${b + 2}, $${b + 3}, $${b + 4}, $${b + 5}, $${b + 6}, $${b + 7})`,
        );
        params.push(m.id, m.conversationId, m.seq, m.senderId, m.content, m.clientId, m.createdAt);
      }
      try {
        await db.query(
          `INSERT INTO ${TABLE} (id, conversation_id, seq, sender_id, content, client_id, created_at)
           VALUES ${values.join(', ')} ON CONFLICT (sender_id, client_id) DO NOTHING`,
          params,
        );
        stats.batches++;
        stats.rows += batch.length;
        stats.maxBatch = Math.max(stats.maxBatch, batch.length);
        for (const item of batch) publish(item);
      } catch (err) {
        stats.errors += batch.length;
        console.error(`batch of ${batch.length} failed: ${err.message}`);
        for (const { reply } of batch)
          reply({ ok: false, error: { code: 'INTERNAL', message: 'store failed' } });
      }
    }
  } finally {
    inFlight = false;
  }
}

async function main() {
  if (db) {
    await db.connect();
    // Shaped like the product's `messages` (uuid key, both unique indexes), minus foreign keys.
    await db.query(`
      CREATE TABLE IF NOT EXISTS ${TABLE} (
        id uuid PRIMARY KEY,
        conversation_id uuid NOT NULL,
        seq bigint NOT NULL,
        sender_id uuid NOT NULL,
        content text NOT NULL,
        client_id varchar(64) NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (conversation_id, seq),
        UNIQUE (sender_id, client_id)
      )`);
  }
  http.listen(PORT, '127.0.0.1', () =>
    console.log(`relay on ${PORT} (${db ? 'batched PostgreSQL inserts' : 'no database'})`),
  );
}

const stop = () => {
  io.close();
  http.close();
  Promise.resolve(db?.end()).finally(() => process.exit(0));
  setTimeout(() => process.exit(0), 3000).unref();
};
process.once('SIGTERM', stop);
process.once('SIGINT', stop);

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
