import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { ConversationType } from '@chat/shared-dto';
import { EntityManager, In, Repository } from 'typeorm';
import { returningRows } from '../core/database/returning';
import { ConversationEntity } from './conversation.entity';

/**
 * Every SQL on `conversations`. Plain TypeORM, except the creation of a direct conversation
 * (an insert that yields to a concurrent one) and the send statement's part, which bumps
 * `last_seq` for a whole batch.
 */
@Injectable()
export class ConversationsRepository {
  constructor(
    @InjectRepository(ConversationEntity)
    private readonly conversations: Repository<ConversationEntity>,
  ) {}

  /**
   * Creates the pair's direct conversation unless a concurrent request already did: the unique
   * `direct_key` decides. Answers the new id, or null when it existed.
   */
  async insertDirect(
    manager: EntityManager,
    directKey: string,
    createdBy: string,
  ): Promise<string | null> {
    const result = await manager
      .getRepository(ConversationEntity)
      .createQueryBuilder()
      .insert()
      .values({ type: 'direct', directKey, createdBy })
      .orIgnore()
      .returning(['id'])
      .execute();
    const row = result.raw as { id: string }[];
    return row[0]?.id ?? null;
  }

  async findDirectId(directKey: string): Promise<string | null> {
    const row = await this.conversations.findOne({ select: { id: true }, where: { directKey } });
    return row?.id ?? null;
  }

  async insertGroup(manager: EntityManager, name: string, createdBy: string): Promise<string> {
    const saved = await manager
      .getRepository(ConversationEntity)
      .save({ type: 'group', name, createdBy, directKey: null });
    return saved.id;
  }

  async rename(id: string, name: string): Promise<void> {
    await this.conversations.update({ id }, { name });
  }

  /**
   * Switches end-to-end encryption on (under the row lock the send batch takes, so every send
   * is ordered before or after it); false when it already was on.
   */
  async markEncrypted(id: string): Promise<boolean> {
    const result = await this.conversations
      .createQueryBuilder()
      .update()
      .set({ encryptedAt: () => 'now()' })
      .where('id = :id AND encrypted_at IS NULL', { id })
      .execute();
    return (result.affected ?? 0) > 0;
  }

  async typeOf(id: string): Promise<ConversationType | null> {
    const row = await this.conversations.findOne({
      select: { id: true, type: true },
      where: { id },
    });
    return row?.type ?? null;
  }

  /**
   * Takes the conversation's row lock for the rest of the transaction: membership changes,
   * edits, deletes and reactions then queue with the sends of the conversation.
   */
  async lock(manager: EntityManager, id: string): Promise<void> {
    await manager.query(CONVERSATIONS_SQL.lockOne, [id]);
  }

  /** Bumps the change counter (under `lock`) and answers the new `rev`. */
  async bumpRev(manager: EntityManager, id: string): Promise<number> {
    const [row] = returningRows<{ last_rev: string }>(
      await manager.query(CONVERSATIONS_SQL.bumpRev, [id]),
    );
    return Number(row.last_rev);
  }

  /** These conversations, newest activity first. */
  findByIds(ids: string[], manager?: EntityManager): Promise<ConversationEntity[]> {
    const repo = manager ? manager.getRepository(ConversationEntity) : this.conversations;
    return repo
      .createQueryBuilder('c')
      .where({ id: In(ids) })
      .orderBy('COALESCE(c.last_message_at, c.created_at)', 'DESC')
      .getMany();
  }
}

/**
 * The statements on `conversations` that the messages module runs inside its own transactions
 * (the send batch, edits, deletes, reactions): composed there, written here.
 */
export const CONVERSATIONS_SQL = {
  /** $1 the conversation: whether it is a direct one (which never changes). */
  isDirect: 'SELECT direct_key IS NOT NULL AS direct FROM conversations WHERE id = $1',
  /**
   * $1 the conversation: its row lock, which orders every change of the conversation, and
   * whether it is end-to-end encrypted (which only this lock's holder may switch on).
   */
  lockOne:
    'SELECT id, encrypted_at IS NOT NULL AS encrypted FROM conversations WHERE id = $1 FOR UPDATE',
  /** $1 the conversation: the next change counter, under `lockOne`. */
  bumpRev: 'UPDATE conversations SET last_rev = last_rev + 1 WHERE id = $1 RETURNING last_rev',
  /** Row locks in id order, so that two batches never deadlock; `direct_key` for `directPeer`,
   * `encrypted_at` for the check that a message's encryption matches its conversation's. */
  lock: (input: string) => `
    SELECT c.id, c.direct_key, c.encrypted_at FROM conversations c
     WHERE c.id IN (SELECT conversation_id FROM ${input}) ORDER BY c.id FOR UPDATE`,
  /**
   * The other member of a direct conversation row `conversation` for `sender`, read from the
   * pair's `direct_key` without touching another table; NULL for a group.
   */
  directPeer: (conversation: string, sender: string) => `
    (CASE WHEN ${conversation}.direct_key IS NULL THEN NULL
          WHEN split_part(${conversation}.direct_key, ':', 1) = ${sender}::text
          THEN split_part(${conversation}.direct_key, ':', 2)
          ELSE split_part(${conversation}.direct_key, ':', 1) END)::uuid`,
  /** Moves each conversation's `last_seq` and `last_rev` by its number of new messages. */
  bumpSeq: (counts: string, locked: string) => `
    UPDATE conversations c
       SET last_seq = c.last_seq + counts.k, last_rev = c.last_rev + counts.k,
           last_message_at = now()
      FROM ${counts} counts JOIN ${locked} locked ON locked.id = counts.conversation_id
     WHERE c.id = counts.conversation_id
    RETURNING c.id, c.last_seq, c.last_rev, counts.k`,
} as const;
