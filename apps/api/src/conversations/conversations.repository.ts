import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { ConversationType } from '@chat/shared-dto';
import { EntityManager, In, Repository } from 'typeorm';
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

  async typeOf(id: string): Promise<ConversationType | null> {
    const row = await this.conversations.findOne({
      select: { id: true, type: true },
      where: { id },
    });
    return row?.type ?? null;
  }

  /** Serialises a membership change with the sends of the conversation (see `lockSenders`). */
  async lockForMembershipChange(manager: EntityManager, id: string): Promise<void> {
    await manager
      .getRepository(ConversationEntity)
      .createQueryBuilder('c')
      .select('c.id')
      .where('c.id = :id', { id })
      .setLock('pessimistic_write')
      .getOne();
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

/** The conversations' part of the send statement (`MessagesRepository.insertBatch`). */
export const CONVERSATIONS_SQL = {
  /** Row locks in id order, so that two batches never deadlock. */
  lock: (input: string) => `
    SELECT c.id FROM conversations c
     WHERE c.id IN (SELECT conversation_id FROM ${input}) ORDER BY c.id FOR UPDATE`,
  /** Moves each conversation's `last_seq` by its number of new messages. */
  bumpSeq: (counts: string, locked: string) => `
    UPDATE conversations c SET last_seq = c.last_seq + counts.k, last_message_at = now()
      FROM ${counts} counts JOIN ${locked} locked ON locked.id = counts.conversation_id
     WHERE c.id = counts.conversation_id
    RETURNING c.id, c.last_seq, counts.k`,
} as const;
