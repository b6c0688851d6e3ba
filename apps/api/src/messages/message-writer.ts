import { BadRequestException, BeforeApplicationShutdown, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { returningRows } from '../core/database/returning';
import { MetricsService } from '../core/metrics/metrics.service';
import { MESSAGE_COLUMNS, MessageRow } from './message.mapper';

export interface NewMessage {
  conversationId: string;
  senderId: string;
  clientId: string;
  content: string;
  type: 'text' | 'image';
  fileUrl: string | null;
}

export interface WriteResult {
  row: MessageRow;
  /** The clientId was already stored: this is the first message, nothing new was written. */
  duplicate: boolean;
}

interface Pending {
  message: NewMessage;
  enqueuedAt: number;
  resolve: (result: WriteResult) => void;
  reject: (err: unknown) => void;
}

/** Transactions in flight at once: one committing while the next batch fills. */
const MAX_IN_FLIGHT = 2;
const MAX_BATCH = 256;
const DEADLOCK = '40P01';

class ClientIdRace extends Error {}

/**
 * Group commit for sends. Messages that arrive while a transaction is in flight are written
 * together in the next one, so throughput grows with load while a lone message still goes out
 * at once. Each batch, in one transaction: locks its conversations in id order, moves every
 * conversation's `last_seq` by its number of new messages (gap-free seqs, assigned in arrival
 * order), inserts the messages with `ON CONFLICT (sender_id, client_id) DO NOTHING`, and moves
 * the senders' own watermarks. A clientId already stored resolves to the first message.
 */
@Injectable()
export class MessageWriter implements BeforeApplicationShutdown {
  private queue: Pending[] = [];
  private inFlight = 0;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly metrics: MetricsService,
  ) {}

  write(message: NewMessage): Promise<WriteResult> {
    return new Promise((resolve, reject) => {
      this.queue.push({ message, enqueuedAt: performance.now(), resolve, reject });
      this.pump();
    });
  }

  /** On shutdown, sends already received are committed (and acked) before sockets close. */
  async beforeApplicationShutdown(): Promise<void> {
    const deadline = Date.now() + 5000;
    while ((this.inFlight > 0 || this.queue.length > 0) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  private pump(): void {
    while (this.inFlight < MAX_IN_FLIGHT && this.queue.length > 0) {
      const batch = this.queue.splice(0, MAX_BATCH);
      this.inFlight += 1;
      void this.commit(batch).finally(() => {
        this.inFlight -= 1;
        this.pump();
      });
    }
  }

  private async commit(batch: Pending[]): Promise<void> {
    this.metrics.sendBatchSize.observe(batch.length);
    try {
      const results = await this.writeBatch(batch.map((p) => p.message));
      const now = performance.now();
      for (const pending of batch) {
        const result = results.get(key(pending.message));
        if (result instanceof Error) {
          pending.reject(result);
          continue;
        }
        this.metrics.sendToCommit.observe((now - pending.enqueuedAt) / 1000);
        pending.resolve(result!);
      }
    } catch (err) {
      for (const pending of batch) pending.reject(err);
    }
  }

  /** Results by `sender:clientId`; an Error for a message that must be refused. */
  private async writeBatch(messages: NewMessage[]): Promise<Map<string, WriteResult | Error>> {
    const results = new Map<string, WriteResult | Error>();
    // The same clientId twice in one batch is one message.
    const unique = [...new Map(messages.map((m) => [key(m), m])).values()];

    for (const row of await this.existing(unique)) {
      const message = unique.find(
        (m) => m.senderId === row.sender_id && m.clientId === row.client_id,
      )!;
      results.set(
        key(message),
        row.conversation_id === message.conversationId
          ? { row, duplicate: true }
          : new BadRequestException('clientId was already used for another conversation'),
      );
    }
    const fresh = unique.filter((m) => !results.has(key(m)));
    if (fresh.length === 0) return results;

    try {
      const rows = await this.insertWithRetry(fresh);
      for (const row of rows)
        results.set(`${row.sender_id}:${row.client_id}`, { row, duplicate: false });
    } catch (err) {
      if (!(err instanceof ClientIdRace)) throw err;
      // Another writer stored one of these clientIds between our check and our insert. The
      // batch was rolled back whole (no seq used); writing it again finds that one stored.
      for (const [k, v] of await this.writeBatch(fresh)) results.set(k, v);
    }
    return results;
  }

  private async existing(messages: NewMessage[]): Promise<MessageRow[]> {
    return this.db.query<MessageRow[]>(
      `SELECT ${MESSAGE_COLUMNS} FROM messages
        WHERE (sender_id, client_id) IN (SELECT * FROM unnest($1::uuid[], $2::varchar[]))`,
      [messages.map((m) => m.senderId), messages.map((m) => m.clientId)],
    );
  }

  private async insertWithRetry(messages: NewMessage[], attempt = 1): Promise<MessageRow[]> {
    try {
      return await this.db.transaction((tx) => this.insert(tx, messages));
    } catch (err) {
      const code = (err as { driverError?: { code?: string } }).driverError?.code;
      if (code === DEADLOCK && attempt < 3) return this.insertWithRetry(messages, attempt + 1);
      throw err;
    }
  }

  private async insert(tx: EntityManager, messages: NewMessage[]): Promise<MessageRow[]> {
    const counts = new Map<string, number>();
    for (const m of messages) counts.set(m.conversationId, (counts.get(m.conversationId) ?? 0) + 1);
    const conversationIds = [...counts.keys()].sort();
    if (conversationIds.length > 1) {
      // A fixed lock order keeps two batches touching the same conversations from deadlocking.
      await tx.query(
        'SELECT id FROM conversations WHERE id = ANY($1::uuid[]) ORDER BY id FOR UPDATE',
        [conversationIds],
      );
    }
    const bumped = returningRows<{ id: string; last_seq: string }>(
      await tx.query(
        `UPDATE conversations c SET last_seq = c.last_seq + v.k, last_message_at = now()
           FROM unnest($1::uuid[], $2::int[]) AS v(id, k)
          WHERE c.id = v.id
        RETURNING c.id, c.last_seq`,
        [conversationIds, conversationIds.map((id) => counts.get(id))],
      ),
    );
    const nextSeq = new Map(bumped.map((r) => [r.id, Number(r.last_seq) - counts.get(r.id)! + 1]));
    const seqs = messages.map((m) => {
      const seq = nextSeq.get(m.conversationId)!;
      nextSeq.set(m.conversationId, seq + 1);
      return seq;
    });

    const rows = await tx.query<MessageRow[]>(
      `INSERT INTO messages (conversation_id, seq, sender_id, content, message_type, file_url, client_id)
       SELECT * FROM unnest($1::uuid[], $2::bigint[], $3::uuid[], $4::text[], $5::varchar[], $6::varchar[], $7::varchar[])
       ON CONFLICT (sender_id, client_id) DO NOTHING
       RETURNING ${MESSAGE_COLUMNS}`,
      [
        messages.map((m) => m.conversationId),
        seqs,
        messages.map((m) => m.senderId),
        messages.map((m) => m.content),
        messages.map((m) => m.type),
        messages.map((m) => m.fileUrl),
        messages.map((m) => m.clientId),
      ],
    );
    // A skipped row would leave a hole in the seqs: undo the whole batch instead.
    if (rows.length !== messages.length) throw new ClientIdRace();

    // Sending implies having read (and received) everything up to one's own message.
    const watermarks = new Map<string, { conversationId: string; userId: string; seq: number }>();
    messages.forEach((m, i) => {
      const k = `${m.conversationId}:${m.senderId}`;
      const seq = Math.max(seqs[i], watermarks.get(k)?.seq ?? 0);
      watermarks.set(k, { conversationId: m.conversationId, userId: m.senderId, seq });
    });
    const marks = [...watermarks.values()];
    await tx.query(
      `UPDATE conversation_members cm
          SET last_read_seq = GREATEST(cm.last_read_seq, v.seq),
              last_delivered_seq = GREATEST(cm.last_delivered_seq, v.seq)
         FROM unnest($1::uuid[], $2::uuid[], $3::bigint[]) AS v(conversation_id, user_id, seq)
        WHERE cm.conversation_id = v.conversation_id AND cm.user_id = v.user_id`,
      [marks.map((w) => w.conversationId), marks.map((w) => w.userId), marks.map((w) => w.seq)],
    );
    return rows;
  }
}

const key = (m: NewMessage) => `${m.senderId}:${m.clientId}`;
