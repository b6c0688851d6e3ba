// End-of-run checks: what the clients saw (every acked message reached every recipient once)
// and what the database holds (each acked clientId stored exactly once, seq gap-free).

/** Client-side: lost = acked but some recipient never got it; extra = got but never acked. */
export function checkDelivery({ acked, received }) {
  let lost = 0;
  let lostMessages = 0;
  for (const [clientId, expected] of acked) {
    const got = received.get(clientId) ?? 0;
    if (got < expected) {
      lost += expected - got;
      lostMessages++;
    }
  }
  let receivedNotAcked = 0;
  for (const clientId of received.keys()) if (!acked.has(clientId)) receivedNotAcked++;
  return { ackedMessages: acked.size, lostDeliveries: lost, lostMessages, receivedNotAcked };
}

/**
 * Database-side, for the product's `messages` or the relay's table: every acked clientId has
 * exactly one row, and each conversation's seqs are 1..n with no hole (and, for the product,
 * `conversations.last_seq` equals n).
 */
export async function checkDatabase(client, { table, clientIdPrefix, acked, withLastSeq }) {
  const { rows } = await client.query(
    `SELECT client_id, count(*)::int AS n FROM ${table} WHERE client_id LIKE $1 GROUP BY client_id`,
    [`${clientIdPrefix}%`],
  );
  const stored = new Map(rows.map((r) => [r.client_id, r.n]));
  let ackedNotStored = 0;
  for (const clientId of acked.keys()) if (!stored.has(clientId)) ackedNotStored++;
  let storedTwice = 0;
  let storedNotAcked = 0;
  for (const [clientId, n] of stored) {
    if (n > 1) storedTwice++;
    if (!acked.has(clientId)) storedNotAcked++;
  }
  const gaps = await client.query(
    withLastSeq
      ? `SELECT count(*)::int AS bad FROM (
           SELECT c.id, c.last_seq, count(m.seq) AS n, min(m.seq) AS lo, max(m.seq) AS hi
             FROM conversations c JOIN ${table} m ON m.conversation_id = c.id GROUP BY c.id, c.last_seq) s
          WHERE n <> hi OR lo <> 1 OR last_seq <> hi`
      : `SELECT count(*)::int AS bad FROM (
           SELECT conversation_id, count(*) AS n, min(seq) AS lo, max(seq) AS hi FROM ${table} GROUP BY 1) s
          WHERE n <> hi OR lo <> 1`,
  );
  const convs = await client.query(
    `SELECT count(DISTINCT conversation_id)::int AS n FROM ${table}`,
  );
  return {
    storedRows: [...stored.values()].reduce((a, n) => a + n, 0),
    ackedNotStored,
    storedTwice,
    storedNotAcked,
    conversationsChecked: convs.rows[0].n,
    conversationsWithSeqGaps: gaps.rows[0].bad,
  };
}
