import {
  BadRequestException,
  BeforeApplicationShutdown,
  ForbiddenException,
  Injectable,
  NotFoundException,
} from '@nestjs/common';
import type { CallSummary, EncryptedPayload, MessageType } from '@chat/shared-dto';
import { databaseCode, PG_ERROR } from '../core/database/pg-errors';
import { MetricsService } from '../core/metrics/metrics.service';
import { MessageRow } from './message.mapper';
import { BATCH_GUARD_TRIPPED, BatchResult, MessagesRepository } from './messages.repository';

export interface NewMessage {
  conversationId: string;
  senderId: string;
  clientId: string;
  content: string;
  type: MessageType;
  fileUrl: string | null;
  replyToId: string | null;
  /** User ids of the members the content names. */
  mentions: string[];
  /** To a direct conversation, where the peer may have blocked the sender. */
  direct: boolean;
  /** Set on a `call` message only. */
  call?: CallSummary | null;
  /** The envelopes of an end-to-end encrypted message. */
  encrypted?: EncryptedPayload | null;
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

/** Batches in flight at once: one committing while the next one fills. */
const MAX_IN_FLIGHT = 2;
const MAX_BATCH = 256;
/**
 * A second batch goes while one is in flight only when this many messages wait: a statement
 * costs PostgreSQL about the same for one message as for ten, so at moderate rates the
 * waiting messages share the next batch, and only a queue that grows gets a second commit.
 */
const SECOND_BATCH_MIN = 16;

/**
 * Group commit for sends. Messages that arrive while a transaction is in flight are written
 * together in the next one, so throughput grows with load while a lone message still goes out
 * at once. Each batch is one statement (`MessagesRepository.insertBatch`): gap-free seqs in
 * arrival order, all or nothing, members only. A clientId already stored resolves to the first
 * message.
 */
@Injectable()
export class MessageWriter implements BeforeApplicationShutdown {
  private queue: Pending[] = [];
  private inFlight = 0;

  constructor(
    private readonly repository: MessagesRepository,
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
    while (
      this.queue.length > 0 &&
      (this.inFlight === 0 ||
        (this.inFlight < MAX_IN_FLIGHT && this.queue.length >= SECOND_BATCH_MIN))
    ) {
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
      // A clientId sent twice into one batch is one message: only its first send is new.
      const answered = new Set<string>();
      for (const pending of batch) {
        const k = key(pending.message);
        const result = results.get(k);
        if (result instanceof Error) {
          pending.reject(result);
          continue;
        }
        this.metrics.sendToCommit.observe((now - pending.enqueuedAt) / 1000);
        pending.resolve(answered.has(k) ? { ...result!, duplicate: true } : result!);
        answered.add(k);
      }
    } catch (err) {
      for (const pending of batch) pending.reject(err);
    }
  }

  /**
   * Results by `sender:clientId`; an Error for a message that must be refused. The fast path
   * writes the batch in one statement; if a clientId in it was already stored (a resend), the
   * statement aborts as a whole and the batch goes again with the stored ones set aside.
   */
  private async writeBatch(messages: NewMessage[]): Promise<Map<string, WriteResult | Error>> {
    // The same clientId twice in one batch is one message.
    const unique = [...new Map(messages.map((m) => [key(m), m])).values()];
    try {
      return await this.settleRefusedResends(
        unique,
        toResults(unique, await this.insertWithRetry(unique)),
      );
    } catch (err) {
      if (databaseCode(err) !== BATCH_GUARD_TRIPPED) throw err;
    }
    const results = new Map<string, WriteResult | Error>();
    for (const row of await this.repository.byClientIds(unique)) {
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
    // What is still fresh may race another writer again; each round settles at least one.
    if (fresh.length > 0) for (const [k, v] of await this.writeBatch(fresh)) results.set(k, v);
    return results;
  }

  /**
   * A refused message may be the resend of one stored before the sender was blocked or removed:
   * its first ack may have been lost, so it resolves to the stored message, as any resend does.
   * Refused rows never reach the insert, so the batch guard cannot have caught them.
   */
  private async settleRefusedResends(
    batch: NewMessage[],
    results: Map<string, WriteResult | Error>,
  ): Promise<Map<string, WriteResult | Error>> {
    const refused = batch.filter((m) => results.get(key(m)) instanceof Error);
    if (refused.length === 0) return results;
    for (const row of await this.repository.byClientIds(refused)) {
      const message = refused.find(
        (m) => m.senderId === row.sender_id && m.clientId === row.client_id,
      );
      if (message && row.conversation_id === message.conversationId)
        results.set(key(message), { row, duplicate: true });
    }
    return results;
  }

  private async insertWithRetry(messages: NewMessage[], attempt = 1): Promise<BatchResult> {
    try {
      return await this.repository.insertBatch(messages);
    } catch (err) {
      if (databaseCode(err) === PG_ERROR.deadlock && attempt < 3)
        return this.insertWithRetry(messages, attempt + 1);
      throw err;
    }
  }
}

/**
 * The stored rows by `sender:clientId`, a refusal for each sender who is not a member, one for
 * each message whose encryption does not match its conversation's, and one for each sender the
 * direct conversation's other member blocked.
 */
function toResults(batch: NewMessage[], result: BatchResult): Map<string, WriteResult | Error> {
  const results = new Map<string, WriteResult | Error>(
    result.stored.map((row) => [`${row.sender_id}:${row.client_id}`, { row, duplicate: false }]),
  );
  for (const position of result.refused) {
    results.set(key(batch[position]), new NotFoundException('Conversation not found'));
  }
  for (const position of result.mismatched) {
    results.set(
      key(batch[position]),
      new BadRequestException(
        batch[position].encrypted
          ? 'This conversation is not end-to-end encrypted'
          : 'This conversation is end-to-end encrypted: send the message encrypted',
      ),
    );
  }
  for (const position of result.barred) {
    results.set(
      key(batch[position]),
      new ForbiddenException('This user does not accept messages from you'),
    );
  }
  return results;
}

const key = (m: NewMessage) => `${m.senderId}:${m.clientId}`;
