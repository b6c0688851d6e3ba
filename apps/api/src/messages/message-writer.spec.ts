import { BadRequestException, ForbiddenException, NotFoundException } from '@nestjs/common';
import { Histogram } from 'prom-client';
import { QueryFailedError } from 'typeorm';
import { PG_ERROR } from '../core/database/pg-errors';
import { MetricsService } from '../core/metrics/metrics.service';
import { MessageRow } from './message.mapper';
import { MessageWriter, NewMessage, WriteResult } from './message-writer';
import {
  BATCH_GUARD_TRIPPED,
  BatchResult,
  BatchRow,
  MessagesRepository,
} from './messages.repository';

const ALICE = '11111111-1111-4111-8111-111111111111';
const BOB = '22222222-2222-4222-8222-222222222222';
const ROOM = 'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa';
const OTHER_ROOM = 'bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb';

/** What TypeORM throws for a failed query: the pg error, with its SQLSTATE, as `driverError`. */
function queryFailed(code: string): QueryFailedError {
  return new QueryFailedError('WITH input AS (...)', [], Object.assign(new Error(code), { code }));
}

/** Lets every pending promise callback run (commits settle, the writer pumps the next batch). */
const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * The batch statement's contract in memory: members only (the others' positions are refused),
 * consecutive seqs per conversation in arrival order, and all or nothing when a (sender,
 * clientId) is already stored. `hold()` keeps statements open until `release()`, so a test
 * decides when a batch commits.
 */
class FakeMessagesRepository implements Pick<MessagesRepository, 'insertBatch' | 'byClientIds'> {
  readonly rows: MessageRow[] = [];
  /** Every statement's input, in call order (aborted and retried ones too). */
  readonly batches: BatchRow[][] = [];
  /** `conversation:sender` pairs that are not memberships. */
  readonly outsiders = new Set<string>();
  /** `conversation:sender` pairs where the direct conversation's other member blocked the sender. */
  readonly barred = new Set<string>();
  /** Thrown by the next statements, in order, instead of running them. */
  readonly failures: unknown[] = [];
  private holding = false;
  private readonly held: (() => void)[] = [];
  private readonly lastSeq = new Map<string, number>();

  hold(): void {
    this.holding = true;
  }

  /** Lets the oldest held statement run. */
  release(): void {
    this.held.shift()?.();
  }

  /** Lets every held statement run, and those they lead to, until none is left. */
  async drain(): Promise<void> {
    while (this.held.length > 0) {
      this.release();
      await settle();
    }
  }

  /** A row stored before the test (an earlier send of the same clientId). */
  store(message: NewMessage): MessageRow {
    const [row] = this.number([message]);
    return row;
  }

  async insertBatch(rows: BatchRow[]): Promise<BatchResult> {
    this.batches.push(rows);
    if (this.holding) await new Promise<void>((resolve) => this.held.push(resolve));
    if (this.failures.length > 0) throw this.failures.shift();
    const refused: number[] = [];
    const barred: number[] = [];
    const accepted: BatchRow[] = [];
    rows.forEach((row, position) => {
      const pair = `${row.conversationId}:${row.senderId}`;
      if (this.outsiders.has(pair)) refused.push(position);
      else if (this.barred.has(pair)) barred.push(position);
      else accepted.push(row);
    });
    const resent = accepted.some((a) =>
      this.rows.some((r) => r.sender_id === a.senderId && r.client_id === a.clientId),
    );
    if (resent) throw queryFailed(BATCH_GUARD_TRIPPED);
    return { stored: this.number(accepted), refused, barred, mismatched: [] };
  }

  async byClientIds(pairs: { senderId: string; clientId: string }[]): Promise<MessageRow[]> {
    return this.rows.filter((r) =>
      pairs.some((p) => p.senderId === r.sender_id && p.clientId === r.client_id),
    );
  }

  private number(rows: BatchRow[]): MessageRow[] {
    const stored = rows.map((m): MessageRow => {
      const seq = (this.lastSeq.get(m.conversationId) ?? 0) + 1;
      this.lastSeq.set(m.conversationId, seq);
      return {
        id: `message-${this.rows.length + 1}`,
        conversation_id: m.conversationId,
        seq: String(seq),
        sender_id: m.senderId,
        content: m.content,
        message_type: m.type === 'image' ? 'image' : 'text',
        file_url: m.fileUrl,
        client_id: m.clientId,
        created_at: new Date('2026-01-01T00:00:00Z'),
        rev: String(seq),
        edited_at: null,
        deleted_at: null,
        reply_to_id: m.replyToId,
        mentions: m.mentions,
      };
    });
    this.rows.push(...stored);
    return stored;
  }
}

const send = (clientId: string, overrides: Partial<NewMessage> = {}): NewMessage => ({
  conversationId: ROOM,
  senderId: ALICE,
  clientId,
  content: `text of ${clientId}`,
  type: 'text',
  fileUrl: null,
  replyToId: null,
  mentions: [],
  direct: false,
  ...overrides,
});

const clientIds = (batch: BatchRow[]) => batch.map((m) => m.clientId);

describe('MessageWriter', () => {
  let repository: FakeMessagesRepository;
  let writer: MessageWriter;

  beforeEach(() => {
    repository = new FakeMessagesRepository();
    const metrics: Pick<MetricsService, 'sendBatchSize' | 'sendToCommit'> = {
      sendBatchSize: new Histogram({ name: 'batch_size', help: 'test', registers: [] }),
      sendToCommit: new Histogram({ name: 'send_to_commit', help: 'test', registers: [] }),
    };
    writer = new MessageWriter(
      repository as unknown as MessagesRepository,
      metrics as MetricsService,
    );
  });

  it('writes a lone message at once, in a batch of its own', async () => {
    const written = writer.write(send('c1'));

    expect(repository.batches.map(clientIds)).toEqual([['c1']]);
    const { row, duplicate } = await written;
    expect(duplicate).toBe(false);
    expect(row).toMatchObject({ seq: '1', client_id: 'c1', content: 'text of c1' });
  });

  it('writes the messages that arrive while a batch is in flight together in the next one', async () => {
    repository.hold();
    const writes = ['c1', 'c2', 'c3', 'c4', 'c5'].map((id) => writer.write(send(id)));

    // One batch commits while the next fills; a few waiting messages do not start another.
    expect(repository.batches.map(clientIds)).toEqual([['c1']]);
    repository.release();
    await settle();
    expect(repository.batches.map(clientIds)).toEqual([['c1'], ['c2', 'c3', 'c4', 'c5']]);
    repository.release();

    const rows = (await Promise.all(writes)).map((w) => w.row);
    expect(rows.map((r) => [r.client_id, r.seq])).toEqual([
      ['c1', '1'],
      ['c2', '2'],
      ['c3', '3'],
      ['c4', '4'],
      ['c5', '5'],
    ]);
  });

  it('commits a second batch alongside the first once 16 messages wait', async () => {
    repository.hold();
    const writes = Array.from({ length: 17 }, (_v, i) => writer.write(send(`c${i}`)));

    expect(repository.batches.map((b) => b.length)).toEqual([1, 16]);
    await repository.drain();
    const seqs = (await Promise.all(writes)).map((w) => Number(w.row.seq));
    expect(seqs).toEqual(Array.from({ length: 17 }, (_v, i) => i + 1));
  });

  it('puts at most 256 messages in one batch', async () => {
    repository.hold();
    const writes = Array.from({ length: 602 }, (_v, i) => writer.write(send(`c${i}`)));
    await repository.drain();

    expect(repository.batches.map((b) => b.length)).toEqual([1, 16, 256, 256, 73]);
    const seqs = (await Promise.all(writes)).map((w) => Number(w.row.seq));
    expect(seqs).toEqual(Array.from({ length: 602 }, (_v, i) => i + 1));
  });

  it('stores the same clientId sent twice in one batch once, and answers both with it', async () => {
    repository.hold();
    const first = [writer.write(send('busy'))];
    const twice = [writer.write(send('c1')), writer.write(send('c1'))];
    await repository.drain();
    await Promise.all(first);

    expect(clientIds(repository.batches[1])).toEqual(['c1']);
    const [a, b] = await Promise.all(twice);
    expect(a.row.id).toBe(b.row.id);
    expect(repository.rows.filter((r) => r.client_id === 'c1')).toHaveLength(1);
  });

  it('flags the second send of a clientId in the same batch as the duplicate', async () => {
    repository.hold();
    void writer.write(send('busy'));
    const twice = [writer.write(send('c1')), writer.write(send('c1'))];
    await repository.drain();

    const [a, b] = await Promise.all(twice);
    expect([a.duplicate, b.duplicate]).toEqual([false, true]);
  });

  it('acks a resend with the stored row and writes the fresh messages of its batch again', async () => {
    const stored = repository.store(send('old', { content: 'first try' }));
    repository.hold();
    void writer.write(send('busy'));
    const batch = [
      writer.write(send('new-1')),
      writer.write(send('old', { content: 'second try' })),
      writer.write(send('new-2', { senderId: BOB })),
    ];
    await repository.drain();

    const [new1, old, new2] = await Promise.all(batch);
    expect(old).toEqual<WriteResult>({ row: stored, duplicate: true });
    expect(repository.rows.filter((r) => r.client_id === 'old')).toHaveLength(1);
    // The aborted statement took no seq: the rewrite numbers on from the last stored message.
    expect([new1, new2].map((w) => [w.row.client_id, w.row.seq, w.duplicate])).toEqual([
      ['new-1', '3', false],
      ['new-2', '4', false],
    ]);
    expect(clientIds(repository.batches[1])).toEqual(['new-1', 'old', 'new-2']);
    expect(clientIds(repository.batches[2])).toEqual(['new-1', 'new-2']);
  });

  it('refuses a clientId already used for another conversation with 400', async () => {
    repository.store(send('c1', { conversationId: OTHER_ROOM }));

    const resend = writer.write(send('c1'));

    await expect(resend).rejects.toThrow(BadRequestException);
    await expect(resend).rejects.toThrow('clientId was already used for another conversation');
    expect(repository.rows).toHaveLength(1);
  });

  it('refuses the messages of non-members with 404 and stores the rest of the batch', async () => {
    repository.outsiders.add(`${ROOM}:${BOB}`);
    repository.hold();
    void writer.write(send('busy'));
    const fromAlice = writer.write(send('a1'));
    const fromBob = writer.write(send('b1', { senderId: BOB })).catch((err: unknown) => err);
    const alsoAlice = writer.write(send('a2'));
    await repository.drain();

    expect(await fromBob).toBeInstanceOf(NotFoundException);
    expect((await fromAlice).row).toMatchObject({ client_id: 'a1', seq: '2' });
    expect((await alsoAlice).row).toMatchObject({ client_id: 'a2', seq: '3' });
    expect(repository.rows.map((r) => r.client_id)).toEqual(['busy', 'a1', 'a2']);
  });

  it('refuses a sender the peer blocked with 403 and stores the rest of the batch', async () => {
    repository.barred.add(`${ROOM}:${BOB}`);
    repository.hold();
    void writer.write(send('busy'));
    const fromBob = writer.write(send('b1', { senderId: BOB })).catch((err: unknown) => err);
    const fromAlice = writer.write(send('a1'));
    await repository.drain();

    expect(await fromBob).toBeInstanceOf(ForbiddenException);
    expect((await fromAlice).row).toMatchObject({ client_id: 'a1', seq: '2' });
    expect(repository.rows.map((r) => r.client_id)).toEqual(['busy', 'a1']);
  });

  it('refuses a non-member among the fresh messages of a rewritten batch by its new position', async () => {
    repository.store(send('old'));
    repository.outsiders.add(`${ROOM}:${BOB}`);
    repository.hold();
    void writer.write(send('busy'));
    const [old, fromBob, fresh] = [
      writer.write(send('old')),
      writer.write(send('b1', { senderId: BOB })).catch((err: unknown) => err),
      writer.write(send('new')),
    ];
    await repository.drain();

    expect(await fromBob).toBeInstanceOf(NotFoundException);
    expect((await old).duplicate).toBe(true);
    expect((await fresh).row).toMatchObject({ client_id: 'new', seq: '3' });
    expect(clientIds(repository.batches[2])).toEqual(['b1', 'new']);
  });

  it('retries a batch that lost a deadlock, three attempts in all', async () => {
    repository.failures.push(queryFailed(PG_ERROR.deadlock), queryFailed(PG_ERROR.deadlock));

    const { row } = await writer.write(send('c1'));

    expect(row).toMatchObject({ client_id: 'c1', seq: '1' });
    expect(repository.batches).toHaveLength(3);
  });

  it('gives up after the third deadlock and rejects the batch', async () => {
    const deadlock = queryFailed(PG_ERROR.deadlock);
    repository.failures.push(deadlock, deadlock, deadlock, deadlock);

    await expect(writer.write(send('c1'))).rejects.toBe(deadlock);
    expect(repository.batches).toHaveLength(3);
    expect(repository.rows).toHaveLength(0);
  });

  it('rejects every message of a batch that fails for another reason, without retrying', async () => {
    const down = new Error('connection terminated');
    repository.hold();
    const busy = writer.write(send('busy'));
    const batch = [writer.write(send('c1')), writer.write(send('c2'))];
    repository.release();
    await settle();
    repository.failures.push(down);
    repository.release();

    const outcomes = await Promise.allSettled(batch);
    expect(outcomes).toEqual([
      { status: 'rejected', reason: down },
      { status: 'rejected', reason: down },
    ]);
    expect(repository.batches).toHaveLength(2);
    await expect(busy).resolves.toMatchObject({ row: { client_id: 'busy' } });
  });

  it('keeps writing after a failed batch', async () => {
    repository.failures.push(new Error('connection terminated'));
    await expect(writer.write(send('c1'))).rejects.toThrow('connection terminated');

    await expect(writer.write(send('c2'))).resolves.toMatchObject({ row: { seq: '1' } });
  });

  it('waits on shutdown until the messages already received are committed', async () => {
    repository.hold();
    const writes = ['c1', 'c2', 'c3'].map((id) => writer.write(send(id)));
    let stopped = false;
    const shutdown = writer.beforeApplicationShutdown().then(() => (stopped = true));

    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(stopped).toBe(false);
    repository.release();
    await settle();
    expect(stopped).toBe(false);
    repository.release();
    await shutdown;

    expect(repository.rows.map((r) => r.client_id)).toEqual(['c1', 'c2', 'c3']);
    await expect(Promise.all(writes)).resolves.toHaveLength(3);
  });
});
