// Message search latency on a big table: bulk-loads N messages in SQL over 2,000 group
// conversations, makes one user a member of 50 of them, then times
// GET /api/search/messages?query=<term> for common, rare and prefix terms, one at a time.
import { createDatabase, dbClient } from '../lib/infra.mjs';
import { mapLimit, registerUsers, startBenchApi } from '../lib/targets.mjs';
import { round, summarize } from '../lib/stats.mjs';

const CONVERSATIONS = 2000;
const SEARCHER_IN = 50;
const CHUNK = 1_000_000;
/**
 * Two of these per message, cycling with the message's seq in every conversation: each word is
 * in about one message in ten of each conversation (the searcher's included).
 */
const WORDS = [
  'deploy',
  'release',
  'lunch',
  'meeting',
  'review',
  'bug',
  'fix',
  'coffee',
  'design',
  'plan',
  'ship',
  'test',
  'prod',
  'staging',
  'merge',
  'hello',
  'thanks',
  'tomorrow',
  'today',
  'weekend',
];
/** In one message in 997: a word a user looks for because it is rare. */
const RARE = 'zanzibar';
/**
 * In one message in seven of the conversations the searcher is not in, none of theirs: a word
 * the word index holds a long list of, none of which the searcher may see.
 */
const ELSEWHERE = 'offsite';
const TERMS = {
  common: ['deploy', 'lunch', 'review', 'merge', 'weekend'],
  rare: [RARE],
  elsewhere: [ELSEWHERE],
  // The last word typed so far: a prefix match ("depl" finds "deploy").
  prefix: ['depl', 'rele', 'meet', 'stag', 'tomo'],
};

async function bulkLoad(db, { rows, senderId, searcherId, log }) {
  await db.query(
    `INSERT INTO conversations (type, name, created_by)
     SELECT 'group', 'search filler ' || g, $1 FROM generate_series(1, $2) g`,
    [senderId, CONVERSATIONS],
  );
  await db.query(
    `CREATE TEMP TABLE conv_index AS
     SELECT (row_number() OVER (ORDER BY created_at, id) - 1)::int AS idx, id FROM conversations`,
  );
  await db.query(`CREATE INDEX ON conv_index (idx)`);
  // The searcher is in every 40th conversation: 50 of 2,000, spread over the table.
  await db.query(
    `INSERT INTO conversation_members (conversation_id, user_id, role)
     SELECT id, $1, 'member' FROM conv_index WHERE idx % $2 = 0`,
    [searcherId, CONVERSATIONS / SEARCHER_IN],
  );
  await db.query(`SET session_replication_role = replica`);
  const { rows: indexes } = await db.query(
    `SELECT indexname, indexdef FROM pg_indexes
      WHERE tablename = 'messages' AND indexname <> 'messages_pkey'`,
  );
  for (const { indexname } of indexes) await db.query(`DROP INDEX ${indexname}`);
  const t0 = Date.now();
  for (let from = 0; from < rows; from += CHUNK) {
    const to = Math.min(rows, from + CHUNK) - 1;
    await db.query(
      `INSERT INTO messages (id, conversation_id, seq, rev, sender_id, content, message_type, client_id, created_at)
       SELECT ('00000000-0000-4000-8000-' || lpad(to_hex(g), 12, '0'))::uuid, c.id, (g / $3) + 1, (g / $3) + 1, $4,
              ($6::text[])[1 + ((g / $3) * 7 + g % $3) % 20] || ' '
                || ($6::text[])[1 + ((g / $3) * 13 + 3 * (g % $3) + 5) % 20] || ' item ' || g
                || CASE WHEN g % 997 = 0 THEN ' ' || $7 ELSE '' END
                || CASE WHEN g % $9 <> 0 AND g % 7 = 0 THEN ' ' || $8 ELSE '' END,
              'text', 's' || g,
              now() - interval '365 days' + (g::float8 / $5) * interval '365 days'
         FROM generate_series($1::int, $2::int) g JOIN conv_index c ON c.idx = g % $3
        ORDER BY g`,
      [
        from,
        to,
        CONVERSATIONS,
        senderId,
        rows,
        WORDS,
        RARE,
        ELSEWHERE,
        CONVERSATIONS / SEARCHER_IN,
      ],
    );
    log(`search: loaded ${to + 1} / ${rows} rows (${((Date.now() - t0) / 1000).toFixed(0)} s)`);
  }
  for (const { indexname, indexdef } of indexes) {
    const t = Date.now();
    await db.query(indexdef);
    log(`search: rebuilt ${indexname} in ${((Date.now() - t) / 1000).toFixed(0)} s`);
  }
  await db.query(`SET session_replication_role = origin`);
  await db.query(
    `UPDATE conversations c SET last_seq = s.hi, last_rev = s.hi, last_message_at = now()
       FROM (SELECT conversation_id, max(seq) AS hi FROM messages GROUP BY 1) s
      WHERE s.conversation_id = c.id`,
  );
  await db.query(`VACUUM ANALYZE messages`);
  await db.query(`VACUUM ANALYZE conversations`);
  await db.query(`VACUUM ANALYZE conversation_members`);
  return { loadSeconds: Math.round((Date.now() - t0) / 1000) };
}

/** `requests` searches one at a time, cycling through `terms`; latency and hits of each. */
async function timeSearches(url, token, terms, requests) {
  const samples = [];
  let failed = 0;
  let empty = 0;
  for (let i = 0; i < requests; i++) {
    const term = terms[i % terms.length];
    const start = performance.now();
    const res = await fetch(
      `${url}/api/search/messages?query=${encodeURIComponent(term)}&limit=20`,
      { headers: { authorization: `Bearer ${token}` } },
    );
    const body = await res.json();
    if (!res.ok || !Array.isArray(body.results)) failed++;
    else {
      samples.push(performance.now() - start);
      if (body.results.length === 0) empty++;
    }
  }
  const s = summarize(samples);
  return {
    terms: terms.join(', '),
    requests,
    failed,
    empty,
    p50Ms: round(s.p50),
    p95Ms: round(s.p95),
    p99Ms: round(s.p99),
    maxMs: round(s.max),
  };
}

export async function searchScenario(ctx) {
  const { opts, log } = ctx;
  const database = `${ctx.database}_search`;
  await createDatabase(database);
  ctx.extraDatabases.push(database);
  const api = await startBenchApi({
    database,
    redisPrefix: `${ctx.redisPrefix}s:`,
    logFile: ctx.logFile('api-search'),
    logLevel: opts.logLevel,
    extraEnv: opts.env,
  });
  const db = await dbClient(database);
  try {
    const [sender, searcher] = await registerUsers(api.url, `s${ctx.tag}u`, 2, 2);
    const loaded = await bulkLoad(db, {
      rows: opts.searchRows,
      senderId: sender.id,
      searcherId: searcher.id,
      log,
    });
    const { rows: size } = await db.query(
      `SELECT pg_size_pretty(pg_total_relation_size('messages')) AS total,
              pg_size_pretty(pg_relation_size('messages_search_idx')) AS search_index,
              (SELECT count(*) FROM messages)::bigint AS n`,
    );
    log(
      `search: ${size[0].n} rows (${size[0].total} with indexes, search index ${size[0].search_index}); the searcher is in ${SEARCHER_IN} of ${CONVERSATIONS} conversations`,
    );
    // Warm-up: the index pages a first query reads from disk.
    await mapLimit(Object.values(TERMS).flat(), 1, (term) =>
      timeSearches(api.url, searcher.token, [term], 3),
    );
    const byKind = {};
    for (const [kind, terms] of Object.entries(TERMS)) {
      byKind[kind] = await timeSearches(api.url, searcher.token, terms, opts.searchRequests);
      log(
        `search ${kind}: p50 ${byKind[kind].p50Ms} ms p95 ${byKind[kind].p95Ms} ms p99 ${byKind[kind].p99Ms} ms`,
      );
    }
    return {
      rows: Number(size[0].n),
      tableSize: size[0].total,
      searchIndexSize: size[0].search_index,
      conversations: CONVERSATIONS,
      searcherIn: SEARCHER_IN,
      loadSeconds: loaded.loadSeconds,
      byKind,
      target: { p95Ms: 50, atRows: 10_000_000 },
    };
  } finally {
    await db.end();
    await api.stop();
  }
}
