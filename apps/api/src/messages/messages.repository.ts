import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { CONVERSATIONS_SQL } from '../conversations/conversations.repository';
import { MEMBERS_SQL } from '../conversations/members.repository';
import { PG_ERROR } from '../core/database/pg-errors';
import { MessageEntity } from './message.entity';
import type { MessageRow } from './message.mapper';

const MESSAGE_COLUMNS =
  'id, conversation_id, seq, sender_id, content, message_type, file_url, client_id, created_at';

/** One message of a batch, in the column order of the batch statement. */
export interface BatchRow {
  conversationId: string;
  senderId: string;
  content: string;
  type: string;
  fileUrl: string | null;
  clientId: string;
}

export interface BatchResult {
  stored: MessageRow[];
  /** Positions in the batch of the messages whose sender is not (or no longer) a member. */
  refused: number[];
}

/**
 * The batch statement aborts with this SQLSTATE when a clientId of the batch was already
 * stored (a resend): the whole batch is undone, so no seq is taken and lost.
 */
export const BATCH_GUARD_TRIPPED = PG_ERROR.divisionByZero;

/**
 * One statement, one round trip, one implicit transaction for a whole batch of sends, composed
 * of the parts each table's owner writes:
 *  - `locked` takes the conversations' row locks in id order (no deadlock between batches);
 *  - `senders` locks the senders' memberships, so a send and the sender's removal are ordered:
 *    `accepted` keeps only the messages of members;
 *  - `bumped` moves each conversation's `last_seq` by its number of accepted messages;
 *  - `numbered` gives them consecutive seqs in arrival order;
 *  - `ins` stores them, skipping any (sender, clientId) already stored;
 *  - `marks` moves each sender's own read and delivered watermarks to their newest message;
 *  - `guard` divides by zero when a row was skipped, which aborts the statement and so undoes
 *    every seq it took: a batch is stored whole or not at all, never with a gap. The final
 *    SELECT reads `guard` directly so that it is always evaluated.
 * Parameters: $1..$6 the columns, $7 the arrival order.
 */
const BATCH_INSERT_SQL = `
WITH input AS (
  SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::varchar[], $5::varchar[], $6::varchar[], $7::int[])
    AS t(conversation_id, sender_id, content, message_type, file_url, client_id, ord)
),
locked AS (${CONVERSATIONS_SQL.lock('input')}),
senders AS (${MEMBERS_SQL.lockSenders('input', 'locked')}),
accepted AS (
  SELECT i.* FROM input i
    JOIN senders s ON s.conversation_id = i.conversation_id AND s.user_id = i.sender_id
),
counts AS (
  SELECT conversation_id, count(*)::int AS k FROM accepted GROUP BY conversation_id
),
bumped AS (${CONVERSATIONS_SQL.bumpSeq('counts', 'locked')}),
numbered AS (
  SELECT a.*, b.last_seq - b.k + row_number() OVER (PARTITION BY a.conversation_id ORDER BY a.ord) AS seq
    FROM accepted a JOIN bumped b ON b.id = a.conversation_id
),
ins AS (
  INSERT INTO messages (conversation_id, seq, sender_id, content, message_type, file_url, client_id)
  SELECT conversation_id, seq, sender_id, content, message_type, file_url, client_id FROM numbered
  ON CONFLICT (sender_id, client_id) DO NOTHING
  RETURNING ${MESSAGE_COLUMNS}
),
marks AS (${MEMBERS_SQL.moveSenderWatermarks('numbered')}),
guard AS (
  SELECT 1 / (CASE WHEN (SELECT count(*) FROM ins) = (SELECT count(*) FROM numbered) THEN 1 ELSE 0 END) AS ok,
         (SELECT count(*) FROM marks) AS marked
)
SELECT guard.ok,
       (SELECT coalesce(json_agg(ins), '[]'::json) FROM ins) AS rows,
       (SELECT coalesce(json_agg(i.ord), '[]'::json) FROM input i
         WHERE NOT EXISTS (SELECT 1 FROM accepted a WHERE a.ord = i.ord)) AS refused
  FROM guard`;

/**
 * Every SQL on `messages`. The send batch and the history pages are hand-written (they are the
 * hot paths: one statement per batch, index range scans on `(conversation_id, seq)`).
 */
@Injectable()
export class MessagesRepository {
  constructor(
    @InjectRepository(MessageEntity) private readonly messages: Repository<MessageEntity>,
  ) {}

  async insertBatch(rows: BatchRow[]): Promise<BatchResult> {
    const [result] = await this.messages.query<{ rows: MessageRow[]; refused: number[] }[]>(
      BATCH_INSERT_SQL,
      [
        rows.map((m) => m.conversationId),
        rows.map((m) => m.senderId),
        rows.map((m) => m.content),
        rows.map((m) => m.type),
        rows.map((m) => m.fileUrl),
        rows.map((m) => m.clientId),
        rows.map((_m, i) => i),
      ],
    );
    return { stored: result.rows, refused: result.refused };
  }

  /** The messages already stored under these (sender, clientId) pairs. */
  byClientIds(pairs: { senderId: string; clientId: string }[]): Promise<MessageRow[]> {
    return this.messages.query<MessageRow[]>(
      `SELECT ${MESSAGE_COLUMNS} FROM messages
        WHERE (sender_id, client_id) IN (SELECT * FROM unnest($1::uuid[], $2::varchar[]))`,
      [pairs.map((p) => p.senderId), pairs.map((p) => p.clientId)],
    );
  }

  /** Up to `limit` messages after `seq`, ascending. */
  after(conversationId: string, seq: number, limit: number): Promise<MessageRow[]> {
    return this.messages.query<MessageRow[]>(
      `SELECT ${MESSAGE_COLUMNS} FROM messages WHERE conversation_id = $1 AND seq > $2 ORDER BY seq ASC LIMIT $3`,
      [conversationId, seq, limit],
    );
  }

  /** Up to `limit` messages before `seq`, ascending. */
  async before(conversationId: string, seq: number, limit: number): Promise<MessageRow[]> {
    const rows = await this.messages.query<MessageRow[]>(
      `SELECT ${MESSAGE_COLUMNS} FROM messages WHERE conversation_id = $1 AND seq < $2 ORDER BY seq DESC LIMIT $3`,
      [conversationId, seq, limit],
    );
    return rows.reverse();
  }

  /** The messages at these (conversation, seq) positions: the last message of each conversation. */
  at(positions: { conversationId: string; seq: number }[]): Promise<MessageRow[]> {
    return this.messages.query<MessageRow[]>(
      `SELECT ${MESSAGE_COLUMNS} FROM messages
        WHERE (conversation_id, seq) IN (SELECT * FROM unnest($1::uuid[], $2::bigint[]))`,
      [positions.map((p) => p.conversationId), positions.map((p) => p.seq)],
    );
  }

  async seqOf(conversationId: string, messageId: string): Promise<number | null> {
    const row = await this.messages.findOne({
      select: { id: true, seq: true },
      where: { id: messageId, conversationId },
    });
    return row ? Number(row.seq) : null;
  }
}
