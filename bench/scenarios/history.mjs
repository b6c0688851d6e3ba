// History page latency on a big table: bulk-loads N messages in SQL into a dedicated database,
// then times GET /api/conversations/:id/messages?limit=50&before=<random seq>.
import { createDatabase, dbClient } from '../lib/infra.mjs';
import { directConversation, mapLimit, registerUsers, startBenchApi } from '../lib/targets.mjs';
import { cpuMeter } from '../lib/proc.mjs';
import { round, summarize } from '../lib/stats.mjs';

/** Conversations the API knows members of (the ones we query); the rest is filler. */
const QUERIED = 20;
/** Messages per conversation on average: a long history, so `before` pages reach far back. */
const PER_CONVERSATION = 5000;
const CHUNK = 1_000_000;

async function bulkLoad(db, { rows, senderId, log }) {
  const conversations = Math.max(QUERIED, Math.ceil(rows / PER_CONVERSATION));
  await db.query(
    `INSERT INTO conversations (type, name, created_by) SELECT 'group', 'history filler ' || g, $1 FROM generate_series(1, $2) g`,
    [senderId, conversations - QUERIED],
  );
  // A dense index over all conversations so row g can go to conversation g % C: conversations
  // interleave on disk as in a live table, and a page of 50 touches ~50 heap pages.
  await db.query(
    `CREATE TEMP TABLE conv_index AS SELECT (row_number() OVER (ORDER BY created_at, id) - 1)::int AS idx, id FROM conversations`,
  );
  await db.query(`CREATE INDEX ON conv_index (idx)`);
  // Bulk-load speed-ups on this throwaway database: skip the foreign-key triggers, drop the two
  // secondary unique indexes and rebuild them once (a sort) instead of 10M random inserts.
  await db.query(`SET session_replication_role = replica`);
  const { rows: indexes } = await db.query(
    `SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'messages' AND indexname <> 'messages_pkey'`,
  );
  for (const { indexname } of indexes) await db.query(`DROP INDEX ${indexname}`);
  const t0 = Date.now();
  for (let from = 0; from < rows; from += CHUNK) {
    const to = Math.min(rows, from + CHUNK) - 1;
    // Ids are sequential uuids so the primary-key index is appended to, not randomly written;
    // history reads never use it. created_at spreads over the last year. ORDER BY g keeps the
    // interleaving: without it the hash join emits the rows grouped by conversation.
    await db.query(
      `INSERT INTO messages (id, conversation_id, seq, sender_id, content, message_type, client_id, created_at)
       SELECT ('00000000-0000-4000-8000-' || lpad(to_hex(g), 12, '0'))::uuid, c.id, (g / $3) + 1, $4,
              'history message ' || g || ' lorem ipsum dolor sit amet', 'text', 'h' || g,
              now() - interval '365 days' + (g::float8 / $5) * interval '365 days'
         FROM generate_series($1::int, $2::int) g JOIN conv_index c ON c.idx = g % $3
        ORDER BY g`,
      [from, to, conversations, senderId, rows],
    );
    log(`history: loaded ${to + 1} / ${rows} rows (${((Date.now() - t0) / 1000).toFixed(0)} s)`);
  }
  for (const { indexname, indexdef } of indexes) {
    const t = Date.now();
    await db.query(indexdef);
    log(`history: rebuilt ${indexname} in ${((Date.now() - t) / 1000).toFixed(0)} s`);
  }
  await db.query(`SET session_replication_role = origin`);
  await db.query(
    `UPDATE conversations c SET last_seq = s.hi, last_message_at = now() FROM (SELECT conversation_id, max(seq) AS hi FROM messages GROUP BY 1) s WHERE s.conversation_id = c.id`,
  );
  await db.query(`VACUUM ANALYZE messages`);
  await db.query(`VACUUM ANALYZE conversations`);
  return { conversations, loadSeconds: Math.round((Date.now() - t0) / 1000) };
}

/** `requests` pages at `concurrency` in flight; latency of each, wall time of all. */
async function timePages(url, targets, { requests, concurrency, limit = 50 }) {
  const samples = [];
  let failed = 0;
  const t0 = performance.now();
  await mapLimit(
    Array.from({ length: requests }, (_, i) => i),
    concurrency,
    async () => {
      const t = targets[(Math.random() * targets.length) | 0];
      const before = 2 + Math.floor(Math.random() * t.lastSeq);
      const start = performance.now();
      const res = await fetch(
        `${url}/api/conversations/${t.id}/messages?limit=${limit}&before=${before}`,
        {
          headers: { authorization: `Bearer ${t.token}` },
        },
      );
      const body = await res.json();
      if (!res.ok || !Array.isArray(body)) failed++;
      else samples.push(performance.now() - start);
    },
  );
  const seconds = (performance.now() - t0) / 1000;
  const s = summarize(samples);
  return {
    requests,
    concurrency,
    failed,
    pagesPerSec: round(samples.length / seconds),
    p50Ms: round(s.p50),
    p95Ms: round(s.p95),
    p99Ms: round(s.p99),
    maxMs: round(s.max),
  };
}

export async function historyScenario(ctx) {
  const { opts, log } = ctx;
  const database = `${ctx.database}_hist`;
  await createDatabase(database);
  ctx.extraDatabases.push(database);
  const api = await startBenchApi({
    database,
    redisPrefix: `${ctx.redisPrefix}h:`,
    logFile: ctx.logFile('api-history'),
    logLevel: opts.logLevel,
    extraEnv: opts.env,
  });
  const db = await dbClient(database);
  try {
    const users = await registerUsers(api.url, `h${ctx.tag}u`, QUERIED * 2, 8);
    const convIds = await mapLimit(
      Array.from({ length: QUERIED }, (_, i) => i),
      8,
      (i) => directConversation(api.url, users[2 * i], users[2 * i + 1]),
    );
    const loaded = await bulkLoad(db, { rows: opts.historyRows, senderId: users[0].id, log });
    const { rows: seqs } = await db.query(
      `SELECT id, last_seq::int AS last_seq FROM conversations WHERE id = ANY($1)`,
      [convIds],
    );
    const lastSeq = new Map(seqs.map((r) => [r.id, r.last_seq]));
    const targets = convIds.map((id, i) => ({
      id,
      token: users[2 * i].token,
      lastSeq: lastSeq.get(id),
    }));
    const { rows: size } = await db.query(
      `SELECT pg_size_pretty(pg_total_relation_size('messages')) AS total, (SELECT count(*) FROM messages)::bigint AS n`,
    );
    log(
      `history: ${size[0].n} rows (${size[0].total} with indexes), ${loaded.conversations} conversations, ~${targets[0].lastSeq} messages in each queried one`,
    );

    // What PostgreSQL does for one page (for the record: an index range scan, 50 rows).
    const t = targets[0];
    const { rows: plan } = await db.query(
      `EXPLAIN (ANALYZE, BUFFERS, FORMAT TEXT) SELECT id, conversation_id, seq, sender_id, content, message_type, file_url, client_id, created_at
         FROM messages WHERE conversation_id = $1 AND seq < $2 ORDER BY seq DESC LIMIT 50`,
      [t.id, Math.floor(t.lastSeq / 2)],
    );

    await timePages(api.url, targets, { requests: 200, concurrency: 4 }); // warm-up
    const meter = cpuMeter({ pids: { server: api.pid } });
    const sequential = await timePages(api.url, targets, {
      requests: opts.historyRequests,
      concurrency: 1,
    });
    const parallel = await timePages(api.url, targets, {
      requests: opts.historyRequests,
      concurrency: 8,
    });
    const cpu = meter.stop();
    log(
      `history: 1 at a time: p50 ${sequential.p50Ms} ms p99 ${sequential.p99Ms} ms (${sequential.pagesPerSec} pages/s); 8 at a time: p50 ${parallel.p50Ms} ms p99 ${parallel.p99Ms} ms (${parallel.pagesPerSec} pages/s)`,
    );
    return {
      rows: Number(size[0].n),
      tableSize: size[0].total,
      conversations: loaded.conversations,
      messagesPerQueriedConversation: targets[0].lastSeq,
      loadSeconds: loaded.loadSeconds,
      sequential,
      parallel,
      serverCpuPct: cpu.serverCpuPct,
      plan: plan.map((r) => r['QUERY PLAN']),
      target: { p99Ms: 10 },
    };
  } finally {
    await db.end();
    await api.stop();
  }
}
