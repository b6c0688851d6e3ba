import { Inject, Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type {
  CallSummary,
  EncryptedPayload,
  EncryptedReactionView,
  ReactionSummary,
} from '@chat/shared-dto';
import type { Pool } from 'pg';
import { EntityManager, Repository } from 'typeorm';
import { CONVERSATIONS_SQL } from '../conversations/conversations.repository';
import { MEMBERS_SQL } from '../conversations/members.repository';
import { AppConfig } from '../core/config/app-config';
import { APP_CONFIG } from '../core/config/config.module';
import { PG_ERROR } from '../core/database/pg-errors';
import { returningRows } from '../core/database/returning';
import { BLOCKS_SQL } from '../users/blocks.repository';
import { MessageEntity } from './message.entity';
import type { MessageRow } from './message.mapper';
import { MessageEncryptedReactionEntity } from './message-encrypted-reaction.entity';
import { MessageReactionEntity } from './message-reaction.entity';

const MESSAGE_COLUMNS = `id, conversation_id, seq, sender_id, content, message_type, file_url,
  client_id, created_at, rev, edited_at, deleted_at, reply_to_id, mentions, call, encrypted`;

/** A reply's original, cut to the excerpt, for a message aliased `m`. */
const REPLY_OF_M = `(SELECT row_to_json(r) FROM (
    SELECT o.id, o.seq, o.sender_id, o.message_type, left(o.content, 140) AS content, o.deleted_at
      FROM messages o WHERE o.id = m.reply_to_id) r) AS reply`;

/** Messages with their replies' originals. */
const SELECT_MESSAGES = `SELECT ${MESSAGE_COLUMNS.split(',')
  .map((c) => `m.${c.trim()}`)
  .join(', ')}, ${REPLY_OF_M} FROM messages m`;

/**
 * A place in the search order (newest first): `created_at`, then `id`. The time is the
 * database's to the microsecond: a JavaScript Date would round it to the millisecond and a
 * page boundary could then skip a message.
 */
export interface SearchPosition {
  createdAt: string;
  id: string;
}

/** A `timestamptz` as ISO 8601 text in UTC with its microseconds. */
const EXACT_TIME = (column: string): string =>
  `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

/** A search's words: as typed (letters and digits), and as a `to_tsquery` text of them. */
export interface WordQuery {
  terms: string[];
  tsQuery: string;
}

/** What one window of the search's newest-first scan read and found. */
export interface SearchWindow {
  scanned: number;
  /** The matches among the rows read, newest first. */
  hits: SearchPosition[];
  /** Where the scan stopped when the budget cut the window short. */
  oldest: SearchPosition | null;
}

/** One message of a batch, in the column order of the batch statement. */
export interface BatchRow {
  conversationId: string;
  senderId: string;
  content: string;
  type: string;
  fileUrl: string | null;
  clientId: string;
  replyToId: string | null;
  mentions: string[];
  /** To a direct conversation: the batch then checks blocks. */
  direct: boolean;
  call?: CallSummary | null;
  /** The envelopes of an end-to-end encrypted message (`content` is then ''). */
  encrypted?: EncryptedPayload | null;
}

export interface BatchResult {
  stored: MessageRow[];
  /** Positions in the batch of the messages whose sender is not (or no longer) a member. */
  refused: number[];
  /** Positions of messages to a direct conversation whose other member blocked the sender. */
  barred: number[];
  /**
   * Positions of messages whose encryption does not match their direct conversation's:
   * plaintext to an encrypted one, or envelopes to one that is not.
   */
  mismatched: number[];
}

/**
 * The batch statement aborts with this SQLSTATE when a clientId of the batch was already
 * stored (a resend): the whole batch is undone, so no seq is taken and lost.
 */
export const BATCH_GUARD_TRIPPED = PG_ERROR.divisionByZero;

const REPLY_OF_INS = REPLY_OF_M.replace('m.reply_to_id', 'ins.reply_to_id');

/**
 * A message of `input` row `i` to conversation row `l` is encrypted exactly when the
 * conversation is (the messages the server writes itself, calls and system lines, are never).
 * Checked under the conversation's row lock, so a send cannot slip past the switch to plaintext.
 */
const ENCRYPTION_MATCHES = (l: string, i: string) =>
  `(${i}.encrypted IS NOT NULL) = (${l}.encrypted_at IS NOT NULL AND ${i}.message_type NOT IN ('call', 'system'))`;

/**
 * One statement, one round trip, one implicit transaction for a whole batch of sends, composed
 * of the parts each table's owner writes:
 *  - `locked` takes the conversations' row locks in id order (no deadlock between batches);
 *  - `senders` locks the senders' memberships, so a send and the sender's removal are ordered:
 *    `accepted` keeps only the messages of members, and (when the batch holds a message to a
 *    direct conversation) leaves out those whose peer blocked the sender: one primary-key probe
 *    each. A batch of group messages runs the statement without that part, so blocking costs
 *    group sends nothing, not even planning;
 *  - `bumped` moves each conversation's `last_seq` by its number of accepted messages;
 *  - `numbered` gives them consecutive seqs in arrival order;
 *  - `ins` stores them, skipping any (sender, clientId) already stored;
 *  - `marks` moves each sender's own read and delivered watermarks to their newest message;
 *  - `guard` divides by zero when a row was skipped, which aborts the statement and so undoes
 *    every seq it took: a batch is stored whole or not at all, never with a gap. The final
 *    SELECT reads `guard` directly so that it is always evaluated.
 * `refused` lists the left-out positions; with the block check (direct conversations, the only
 * ones that can be encrypted), each with whether its sender is a member and whether its
 * encryption mismatched the conversation's (a member's message left out for no mismatch was
 * left out by a block).
 * Parameters: $1..$6 and $8..$11 the columns, $7 the arrival order.
 */
const batchInsertSql = (checkBlocks: boolean) => `
WITH input AS (
  SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::varchar[], $5::varchar[], $6::varchar[],
                       $7::int[], $8::uuid[], $9::text[], $10::jsonb[], $11::jsonb[])
    AS t(conversation_id, sender_id, content, message_type, file_url, client_id, ord, reply_to_id, mention_list, call, encrypted)
),
locked AS (${CONVERSATIONS_SQL.lock('input')}),
senders AS (${MEMBERS_SQL.lockSenders('input', 'locked')}),
accepted AS (
  SELECT i.* FROM input i
    JOIN senders s ON s.conversation_id = i.conversation_id AND s.user_id = i.sender_id${
      checkBlocks
        ? `
    JOIN locked l ON l.id = i.conversation_id
   WHERE ${BLOCKS_SQL.allows(CONVERSATIONS_SQL.directPeer('l', 'i.sender_id'), 'i.sender_id')}
     AND ${ENCRYPTION_MATCHES('l', 'i')}`
        : ''
    }
),
counts AS (
  SELECT conversation_id, count(*)::int AS k FROM accepted GROUP BY conversation_id
),
bumped AS (${CONVERSATIONS_SQL.bumpSeq('counts', 'locked')}),
numbered AS (
  SELECT a.*, b.last_seq - b.k + row_number() OVER w AS seq, b.last_rev - b.k + row_number() OVER w AS rev
    FROM accepted a JOIN bumped b ON b.id = a.conversation_id
  WINDOW w AS (PARTITION BY a.conversation_id ORDER BY a.ord)
),
ins AS (
  INSERT INTO messages (conversation_id, seq, rev, sender_id, content, message_type, file_url, client_id,
                        reply_to_id, mentions, call, encrypted)
  SELECT conversation_id, seq, rev, sender_id, content, message_type, file_url, client_id, reply_to_id,
         coalesce(string_to_array(nullif(mention_list, ''), ',')::uuid[], '{}'), call, encrypted FROM numbered
  ON CONFLICT (sender_id, client_id) DO NOTHING
  RETURNING ${MESSAGE_COLUMNS}
),
marks AS (${MEMBERS_SQL.moveSenderWatermarks('numbered')}),
guard AS (
  SELECT 1 / (CASE WHEN (SELECT count(*) FROM ins) = (SELECT count(*) FROM numbered) THEN 1 ELSE 0 END) AS ok,
         (SELECT count(*) FROM marks) AS marked
)
SELECT guard.ok,
       (SELECT coalesce(json_agg(x), '[]'::json) FROM (SELECT ins.*, ${REPLY_OF_INS} FROM ins) x) AS rows,
       (SELECT coalesce(json_agg(${
         checkBlocks
           ? `json_build_array(i.ord, EXISTS (SELECT 1 FROM senders s
                WHERE s.conversation_id = i.conversation_id AND s.user_id = i.sender_id),
                NOT EXISTS (SELECT 1 FROM locked l
                WHERE l.id = i.conversation_id AND ${ENCRYPTION_MATCHES('l', 'i')}))`
           : 'i.ord'
       }), '[]'::json)
          FROM input i WHERE NOT EXISTS (SELECT 1 FROM accepted a WHERE a.ord = i.ord)) AS refused
  FROM guard`;

const BATCH_INSERT_SQL = batchInsertSql(false);
const BATCH_INSERT_CHECKING_BLOCKS_SQL = batchInsertSql(true);

/**
 * Every SQL on `messages`. The send batch and the history pages are hand-written (they are the
 * hot paths: one statement per batch, index range scans on `(conversation_id, seq)`).
 */
@Injectable()
export class MessagesRepository {
  constructor(
    @InjectRepository(MessageEntity) private readonly messages: Repository<MessageEntity>,
    @InjectRepository(MessageReactionEntity)
    private readonly reactions: Repository<MessageReactionEntity>,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * On PostgreSQL, as a named statement on the pool under TypeORM: each connection parses and
   * plans it once. Planning the batch statement costs PostgreSQL more than running it for a
   * batch of one or two messages (2.7 against 1.2 ms, measured), and at moderate rates most
   * batches are that small. Not on the embedded PGlite, whose socket server shares one session
   * between connections (a second connection's PREPARE would find the name taken).
   */
  async insertBatch(rows: BatchRow[]): Promise<BatchResult> {
    const checkBlocks = rows.some((m) => m.direct);
    const pool = (this.messages.manager.connection.driver as unknown as { master: Pool }).master;
    const named = this.config.database.mode === 'postgres';
    const {
      rows: [result],
    } = await pool.query<{
      rows: MessageRow[];
      refused: (number | [position: number, member: boolean, mismatched: boolean])[];
    }>({
      ...(named
        ? { name: checkBlocks ? 'messages_insert_batch_checking_blocks' : 'messages_insert_batch' }
        : {}),
      text: checkBlocks ? BATCH_INSERT_CHECKING_BLOCKS_SQL : BATCH_INSERT_SQL,
      values: [
        rows.map((m) => m.conversationId),
        rows.map((m) => m.senderId),
        rows.map((m) => m.content),
        rows.map((m) => m.type),
        rows.map((m) => m.fileUrl),
        rows.map((m) => m.clientId),
        rows.map((_m, i) => i),
        rows.map((m) => m.replyToId),
        rows.map((m) => m.mentions.join(',')),
        rows.map((m) => (m.call ? JSON.stringify(m.call) : null)),
        rows.map((m) => (m.encrypted ? JSON.stringify(m.encrypted) : null)),
      ],
    });
    if (!result) throw new Error('the batch statement returned no row');
    const left = result.refused.map((r) =>
      typeof r === 'number' ? ([r, false, false] as const) : r,
    );
    return {
      stored: result.rows,
      refused: left.filter(([, member]) => !member).map(([position]) => position),
      mismatched: left
        .filter(([, member, mismatched]) => member && mismatched)
        .map(([position]) => position),
      // A member's message left out with its encryption matching was barred by a block.
      barred: left
        .filter(([, member, mismatched]) => member && !mismatched)
        .map(([position]) => position),
    };
  }

  /** Whether the conversation is a direct one; false for none. */
  async isDirect(conversationId: string): Promise<boolean> {
    const [row] = await this.messages.query<{ direct: boolean }[]>(CONVERSATIONS_SQL.isDirect, [
      conversationId,
    ]);
    return row?.direct ?? false;
  }

  /** The messages already stored under these (sender, clientId) pairs. */
  byClientIds(pairs: { senderId: string; clientId: string }[]): Promise<MessageRow[]> {
    return this.messages.query<MessageRow[]>(
      `${SELECT_MESSAGES}
        WHERE (m.sender_id, m.client_id) IN (SELECT * FROM unnest($1::uuid[], $2::varchar[]))`,
      [pairs.map((p) => p.senderId), pairs.map((p) => p.clientId)],
    );
  }

  /** Up to `limit` messages after `seq`, ascending. */
  after(conversationId: string, seq: number, limit: number): Promise<MessageRow[]> {
    return this.messages.query<MessageRow[]>(
      `${SELECT_MESSAGES} WHERE m.conversation_id = $1 AND m.seq > $2 ORDER BY m.seq ASC LIMIT $3`,
      [conversationId, seq, limit],
    );
  }

  /** Up to `limit` messages before `seq`, ascending. */
  async before(conversationId: string, seq: number, limit: number): Promise<MessageRow[]> {
    const rows = await this.messages.query<MessageRow[]>(
      `${SELECT_MESSAGES} WHERE m.conversation_id = $1 AND m.seq < $2 ORDER BY m.seq DESC LIMIT $3`,
      [conversationId, seq, limit],
    );
    return rows.reverse();
  }

  /** Up to `limit` messages that changed after `rev`, ascending by rev: the change feed. */
  changedSince(conversationId: string, rev: number, limit: number): Promise<MessageRow[]> {
    return this.messages.query<MessageRow[]>(
      `${SELECT_MESSAGES} WHERE m.conversation_id = $1 AND m.rev > $2 ORDER BY m.rev ASC LIMIT $3`,
      [conversationId, rev, limit],
    );
  }

  /** The messages at these (conversation, seq) positions: the last message of each conversation. */
  at(positions: { conversationId: string; seq: number }[]): Promise<MessageRow[]> {
    return this.messages.query<MessageRow[]>(
      `${SELECT_MESSAGES}
        WHERE (m.conversation_id, m.seq) IN (SELECT * FROM unnest($1::uuid[], $2::bigint[]))`,
      [positions.map((p) => p.conversationId), positions.map((p) => p.seq)],
    );
  }

  /** One message with its reply's original; `lock` holds its row for the transaction. */
  async findOne(
    conversationId: string,
    messageId: string,
    manager?: EntityManager,
    lock = false,
  ): Promise<MessageRow | null> {
    const [row] = await (manager ?? this.messages.manager).query<MessageRow[]>(
      `${SELECT_MESSAGES} WHERE m.id = $1 AND m.conversation_id = $2${lock ? ' FOR UPDATE OF m' : ''}`,
      [messageId, conversationId],
    );
    return row ?? null;
  }

  /**
   * Per conversation, the unread messages that are not news (tombstones, system lines) and
   * those that mention the caller.
   */
  async unreadDetails(
    userId: string,
    unread: { conversationId: string; afterSeq: number }[],
  ): Promise<{ conversation_id: string; not_news: string; mentions: string }[]> {
    if (unread.length === 0) return [];
    return this.messages.query(
      `SELECT m.conversation_id,
              count(*) FILTER (WHERE m.deleted_at IS NOT NULL OR m.message_type = 'system') AS not_news,
              count(*) FILTER (WHERE m.deleted_at IS NULL AND $1 = ANY(m.mentions)
                                 AND m.sender_id <> $1) AS mentions
         FROM unnest($2::uuid[], $3::bigint[]) AS u(conversation_id, after_seq)
         JOIN messages m ON m.conversation_id = u.conversation_id AND m.seq > u.after_seq
        GROUP BY m.conversation_id`,
      [userId, unread.map((u) => u.conversationId), unread.map((u) => u.afterSeq)],
    );
  }

  /** Per member of one conversation, the deleted messages and their mentions among the unread. */
  unreadDetailsOfMembers(
    conversationId: string,
    unread: { userId: string; afterSeq: number }[],
  ): Promise<{ user_id: string; not_news: string; mentions: string }[]> {
    if (unread.length === 0) return Promise.resolve([]);
    return this.messages.query(
      `SELECT u.user_id,
              count(*) FILTER (WHERE m.deleted_at IS NOT NULL OR m.message_type = 'system') AS not_news,
              count(*) FILTER (WHERE m.deleted_at IS NULL AND u.user_id = ANY(m.mentions)
                                 AND m.sender_id <> u.user_id) AS mentions
         FROM unnest($2::uuid[], $3::bigint[]) AS u(user_id, after_seq)
         JOIN messages m ON m.conversation_id = $1 AND m.seq > u.after_seq
        GROUP BY u.user_id`,
      [conversationId, unread.map((u) => u.userId), unread.map((u) => u.afterSeq)],
    );
  }

  /**
   * The oldest live message's time over these conversations: one index descent each on
   * `messages_conversation_created_idx`, null when they hold no live message.
   */
  async earliestLive(conversationIds: string[]): Promise<Date | null> {
    const [row] = await this.messages.query<{ earliest: Date | null }[]>(
      `SELECT min(f.created_at) AS earliest
         FROM unnest($1::uuid[]) AS c(id)
         CROSS JOIN LATERAL (
           SELECT m.created_at FROM messages m
            WHERE m.conversation_id = c.id AND m.deleted_at IS NULL
            ORDER BY m.created_at LIMIT 1) f`,
      [conversationIds],
    );
    return row?.earliest ?? null;
  }

  /**
   * Reads the newest live messages of these conversations in `[from, before)` (at most
   * `budget` of them, by `messages_conversation_created_idx`) and returns which of them match
   * `tsQuery`, newest first. `oldest` is the last position read when the budget cut the window
   * short, so the caller knows how far the scan is complete. The CTE is materialized so that
   * the word filter runs on these rows only and never turns into a GIN scan.
   */
  async scanWindow(
    conversationIds: string[],
    tsQuery: string,
    from: string,
    before: SearchPosition,
    budget: number,
  ): Promise<SearchWindow> {
    const [row] = await this.messages.query<
      {
        scanned: number;
        hit_ids: string[] | null;
        hit_at: string[] | null;
        oldest: string[] | null;
      }[]
    >(
      `WITH scanned AS MATERIALIZED (
         SELECT m.id, m.created_at, m.content FROM messages m
          WHERE m.conversation_id = ANY($1::uuid[]) AND m.deleted_at IS NULL
            AND m.created_at >= $3::timestamptz
            AND (m.created_at, m.id) < ($4::timestamptz, $5::uuid)
          ORDER BY m.created_at DESC, m.id DESC
          LIMIT $6),
       matched AS (
         SELECT s.id, s.created_at FROM scanned s
          WHERE to_tsvector('chat_search'::regconfig, s.content) @@ to_tsquery('chat_search', $2))
       SELECT (SELECT count(*)::int FROM scanned) AS scanned,
              (SELECT array_agg(id ORDER BY created_at DESC, id DESC) FROM matched) AS hit_ids,
              (SELECT array_agg(${EXACT_TIME('created_at')} ORDER BY created_at DESC, id DESC)
                 FROM matched) AS hit_at,
              (SELECT ARRAY[${EXACT_TIME('created_at')}, id::text] FROM scanned
                ORDER BY created_at, id LIMIT 1) AS oldest`,
      [conversationIds, tsQuery, from, before.createdAt, before.id, budget],
    );
    const scanned = row?.scanned ?? 0;
    const hitAt = row?.hit_at ?? [];
    const [oldestAt, oldestId] = row?.oldest ?? [];
    return {
      scanned,
      hits: (row?.hit_ids ?? []).map((id, i) => ({ id, createdAt: hitAt[i] ?? '' })),
      oldest:
        scanned === budget && oldestAt && oldestId ? { createdAt: oldestAt, id: oldestId } : null,
    };
  }

  /**
   * Live messages older than `before` with every word of `terms` (the last one also as a
   * prefix), newest first, by `messages_search_idx`: what a rare word needs, where scanning by
   * time would read too much. The query names each word once per conversation, under that
   * conversation's key, so GIN reads only these conversations' posting lists. The conversation
   * filter (against a key collision) runs behind a fence: as an index condition the planner
   * would AND the GIN result with every row of these conversations from a btree index.
   */
  async searchIds(
    conversationIds: string[],
    terms: string[],
    before: SearchPosition,
    limit: number,
  ): Promise<SearchPosition[]> {
    // The planner cannot see the query it builds (an InitPlan), assumes tens of thousands of
    // matches and would start parallel workers, which costs 10-90 ms for the few rows found.
    const rows = await this.messages.manager.transaction(async (tx) => {
      await tx.query('SET LOCAL max_parallel_workers_per_gather = 0');
      return tx.query<{ id: string; at: string }[]>(
        `WITH words AS (
         SELECT w.lexeme, t.i = cardinality($2::text[]) AS last
           FROM unnest($2::text[]) WITH ORDINALITY AS t(term, i)
           CROSS JOIN LATERAL unnest(to_tsvector('chat_search'::regconfig, t.term)) AS w),
       per_conversation AS (
         SELECT string_agg(
                  quote_literal(chat_search_key(c.id) || words.lexeme)
                    || CASE WHEN words.last THEN ':*' ELSE '' END,
                  ' & ') AS q
           FROM unnest($1::uuid[]) AS c(id) CROSS JOIN words
          GROUP BY c.id),
       found AS MATERIALIZED (
         SELECT m.id, m.created_at, m.conversation_id FROM messages m
          WHERE chat_search_keys(m.conversation_id, m.content)
                  @@ (SELECT string_agg('(' || q || ')', ' | ')::tsquery FROM per_conversation)
            AND m.deleted_at IS NULL
            AND (m.created_at, m.id) < ($3::timestamptz, $4::uuid))
       SELECT f.id, ${EXACT_TIME('f.created_at')} AS at FROM found f
        WHERE f.conversation_id = ANY($1::uuid[])
        ORDER BY f.created_at DESC, f.id DESC
        LIMIT $5`,
        [conversationIds, terms, before.createdAt, before.id, limit],
      );
    });
    return rows.map((r) => ({ id: r.id, createdAt: r.at }));
  }

  /** These messages, newest first. */
  byIdsNewestFirst(ids: string[]): Promise<MessageRow[]> {
    return this.messages.query<MessageRow[]>(
      `${SELECT_MESSAGES} WHERE m.id = ANY($1::uuid[]) ORDER BY m.created_at DESC, m.id DESC`,
      [ids],
    );
  }

  /**
   * Another live message still shows this file. On the caller's transaction: the embedded
   * database's pool is its one connection, which that transaction holds.
   */
  async fileInUse(manager: EntityManager, fileUrl: string, exceptId: string): Promise<boolean> {
    const [row] = await manager.query<unknown[]>(
      'SELECT 1 FROM messages WHERE file_url = $1 AND id <> $2 AND deleted_at IS NULL LIMIT 1',
      [fileUrl, exceptId],
    );
    return row !== undefined;
  }

  /**
   * Takes the conversation's row lock for the transaction, first, as every change of the
   * conversation does (sends included): changes of one conversation queue, never deadlock.
   */
  async lockConversation(
    manager: EntityManager,
    conversationId: string,
  ): Promise<{ encrypted: boolean } | null> {
    const [row] = await manager.query<{ encrypted: boolean }[]>(CONVERSATIONS_SQL.lockOne, [
      conversationId,
    ]);
    return row ?? null;
  }

  /** The `rev` of a change, under `lockConversation`. */
  async nextRev(manager: EntityManager, conversationId: string): Promise<number> {
    const [row] = returningRows<{ last_rev: string }>(
      await manager.query(CONVERSATIONS_SQL.bumpRev, [conversationId]),
    );
    return Number(row.last_rev);
  }

  async edit(
    manager: EntityManager,
    messageId: string,
    rev: number,
    content: string,
    mentions: string[],
  ): Promise<void> {
    await manager.query(
      `UPDATE messages SET content = $2, mentions = $3::uuid[], edited_at = now(), rev = $4
        WHERE id = $1`,
      [messageId, content, mentions, rev],
    );
  }

  /** New envelopes of an encrypted message. */
  async editEncrypted(
    manager: EntityManager,
    messageId: string,
    rev: number,
    encrypted: EncryptedPayload,
  ): Promise<void> {
    await manager.query(
      `UPDATE messages SET encrypted = $2::jsonb, edited_at = now(), rev = $3 WHERE id = $1`,
      [messageId, JSON.stringify(encrypted), rev],
    );
  }

  /**
   * Turns the message into a tombstone: it keeps its seq, loses its content (or envelopes),
   * file and reactions.
   */
  async tombstone(manager: EntityManager, messageId: string, rev: number): Promise<void> {
    await manager.getRepository(MessageReactionEntity).delete({ messageId });
    await manager.getRepository(MessageEncryptedReactionEntity).delete({ messageId });
    await manager.query(
      `UPDATE messages SET content = '', file_url = NULL, mentions = '{}', encrypted = NULL,
              deleted_at = now(), rev = $2 WHERE id = $1`,
      [messageId, rev],
    );
  }

  /** Replaces a member's encrypted reactions to a message. */
  async setEncryptedReaction(
    manager: EntityManager,
    messageId: string,
    userId: string,
    encrypted: EncryptedPayload,
  ): Promise<void> {
    await manager.query(
      `INSERT INTO message_encrypted_reactions (message_id, user_id, encrypted)
       VALUES ($1, $2, $3::jsonb)
       ON CONFLICT (message_id, user_id)
       DO UPDATE SET encrypted = EXCLUDED.encrypted, updated_at = now()`,
      [messageId, userId, JSON.stringify(encrypted)],
    );
  }

  /** Each member's encrypted reactions, by message, oldest change first. */
  async encryptedReactionsOf(messageIds: string[]): Promise<Map<string, EncryptedReactionView[]>> {
    const byMessage = new Map<string, EncryptedReactionView[]>();
    if (messageIds.length === 0) return byMessage;
    const rows = await this.messages.query<
      { message_id: string; user_id: string; encrypted: EncryptedPayload; updated_at: Date }[]
    >(
      `SELECT message_id, user_id, encrypted, updated_at FROM message_encrypted_reactions
        WHERE message_id = ANY($1::uuid[]) ORDER BY updated_at, user_id`,
      [messageIds],
    );
    for (const row of rows) {
      const list = byMessage.get(row.message_id) ?? [];
      list.push({
        userId: row.user_id,
        encrypted: row.encrypted,
        updatedAt: new Date(row.updated_at).toISOString(),
      });
      byMessage.set(row.message_id, list);
    }
    return byMessage;
  }

  async stamp(manager: EntityManager, messageId: string, rev: number): Promise<void> {
    await manager.getRepository(MessageEntity).update({ id: messageId }, { rev: String(rev) });
  }

  /** Adds one reaction; false when it was already there. */
  async addReaction(
    manager: EntityManager,
    messageId: string,
    userId: string,
    emoji: string,
  ): Promise<boolean> {
    const result = await manager
      .getRepository(MessageReactionEntity)
      .createQueryBuilder()
      .insert()
      .values({ messageId, userId, emoji })
      .orIgnore()
      .returning(['message_id'])
      .execute();
    return (result.raw as unknown[]).length > 0;
  }

  /** Removes one reaction; false when it was not there. */
  async removeReaction(
    manager: EntityManager,
    messageId: string,
    userId: string,
    emoji: string,
  ): Promise<boolean> {
    const result = await manager
      .getRepository(MessageReactionEntity)
      .delete({ messageId, userId, emoji });
    return (result.affected ?? 0) > 0;
  }

  /** The distinct emoji on a message. */
  async emojiOn(manager: EntityManager, messageId: string): Promise<string[]> {
    const rows = await manager
      .getRepository(MessageReactionEntity)
      .createQueryBuilder('r')
      .select('DISTINCT r.emoji', 'emoji')
      .where('r.message_id = :messageId', { messageId })
      .getRawMany<{ emoji: string }>();
    return rows.map((r) => r.emoji);
  }

  /** Reaction summaries by message: per emoji, the count and the first 20 who reacted. */
  async reactionsOf(messageIds: string[]): Promise<Map<string, ReactionSummary[]>> {
    const byMessage = new Map<string, ReactionSummary[]>();
    if (messageIds.length === 0) return byMessage;
    const rows = await this.reactions.query<
      { message_id: string; emoji: string; count: string; user_ids: string[] }[]
    >(
      `SELECT message_id, emoji, count(*) AS count,
              (array_agg(user_id ORDER BY created_at, user_id))[1:20] AS user_ids
         FROM message_reactions WHERE message_id = ANY($1::uuid[])
        GROUP BY message_id, emoji ORDER BY message_id, min(created_at), emoji`,
      [messageIds],
    );
    for (const row of rows) {
      const list = byMessage.get(row.message_id) ?? [];
      list.push({ emoji: row.emoji, count: Number(row.count), userIds: row.user_ids });
      byMessage.set(row.message_id, list);
    }
    return byMessage;
  }

  async seqOf(conversationId: string, messageId: string): Promise<number | null> {
    const row = await this.messages.findOne({
      select: { id: true, seq: true },
      where: { id: messageId, conversationId },
    });
    return row ? Number(row.seq) : null;
  }
}
