import { MESSAGE_COLUMNS } from './message.mapper';

/**
 * One statement, one round trip, one implicit transaction for a whole batch of sends:
 *  - `locked` takes the conversations' row locks in id order (no deadlock between batches);
 *  - `bumped` moves each conversation's `last_seq` by its number of new messages;
 *  - `numbered` gives them consecutive seqs in arrival order;
 *  - `ins` stores them, skipping any (sender, clientId) already stored;
 *  - `marks` moves each sender's own read and delivered watermarks to their newest message;
 *  - `guard` divides by zero when a row was skipped, which aborts the statement and so undoes
 *    every seq it took: a batch is stored whole or not at all, never with a gap. The final
 *    SELECT reads `guard` directly so that it is always evaluated, and answers one row with
 *    the stored messages as JSON.
 * Parameters: $1..$6 the columns, $7 the arrival order, $8 the number of messages.
 */
export const BATCH_INSERT_SQL = `
WITH input AS (
  SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::varchar[], $5::varchar[], $6::varchar[], $7::int[])
    AS t(conversation_id, sender_id, content, message_type, file_url, client_id, ord)
),
counts AS (
  SELECT conversation_id, count(*)::int AS k FROM input GROUP BY conversation_id
),
locked AS (
  SELECT c.id FROM conversations c WHERE c.id IN (SELECT conversation_id FROM counts) ORDER BY c.id FOR UPDATE
),
bumped AS (
  UPDATE conversations c SET last_seq = c.last_seq + counts.k, last_message_at = now()
    FROM counts JOIN locked ON locked.id = counts.conversation_id
   WHERE c.id = counts.conversation_id
  RETURNING c.id, c.last_seq, counts.k
),
numbered AS (
  SELECT i.*, b.last_seq - b.k + row_number() OVER (PARTITION BY i.conversation_id ORDER BY i.ord) AS seq
    FROM input i JOIN bumped b ON b.id = i.conversation_id
),
ins AS (
  INSERT INTO messages (conversation_id, seq, sender_id, content, message_type, file_url, client_id)
  SELECT conversation_id, seq, sender_id, content, message_type, file_url, client_id FROM numbered
  ON CONFLICT (sender_id, client_id) DO NOTHING
  RETURNING ${MESSAGE_COLUMNS}
),
marks AS (
  UPDATE conversation_members cm
     SET last_read_seq = GREATEST(cm.last_read_seq, w.seq),
         last_delivered_seq = GREATEST(cm.last_delivered_seq, w.seq)
    FROM (SELECT conversation_id, sender_id, max(seq) AS seq FROM numbered GROUP BY 1, 2) w
   WHERE cm.conversation_id = w.conversation_id AND cm.user_id = w.sender_id
  RETURNING 1
),
guard AS (
  SELECT 1 / (CASE WHEN (SELECT count(*) FROM ins) = $8 THEN 1 ELSE 0 END) AS ok,
         (SELECT count(*) FROM marks) AS marked
)
SELECT guard.ok, (SELECT coalesce(json_agg(ins), '[]'::json) FROM ins) AS rows FROM guard`;

/** The error the guard raises: some clientId of the batch was already stored. */
export const GUARD_TRIPPED = '22012';
