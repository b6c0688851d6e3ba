import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { UserBlockEntity } from './user-block.entity';
import { UserEntity } from './user.entity';

/** Every SQL on `user_blocks`. */
@Injectable()
export class BlocksRepository {
  constructor(
    @InjectRepository(UserBlockEntity) private readonly blocks: Repository<UserBlockEntity>,
  ) {}

  /** Idempotent: blocking twice keeps the first row. */
  async insert(blockerId: string, blockedId: string): Promise<void> {
    await this.blocks
      .createQueryBuilder()
      .insert()
      .values({ blockerId, blockedId })
      .orIgnore()
      .execute();
  }

  async delete(blockerId: string, blockedId: string): Promise<void> {
    await this.blocks.delete({ blockerId, blockedId });
  }

  /** The users `blockerId` blocked, most recent block first. */
  blockedUsers(blockerId: string): Promise<UserEntity[]> {
    return this.blocks.manager
      .createQueryBuilder(UserEntity, 'u')
      .innerJoin(UserBlockEntity, 'b', 'b.blocked_id = u.id')
      .where('b.blocker_id = :blockerId', { blockerId })
      .orderBy('b.created_at', 'DESC')
      .getMany();
  }

  /** Those `userId` blocked (among `among`, when given). */
  async blockedBy(userId: string, among?: string[]): Promise<string[]> {
    const rows = await this.blocks.query<{ blocked_id: string }[]>(
      `SELECT blocked_id FROM user_blocks
        WHERE blocker_id = $1 AND ($2::uuid[] IS NULL OR blocked_id = ANY($2::uuid[]))`,
      [userId, among ?? null],
    );
    return rows.map((r) => r.blocked_id);
  }

  /** The blocks of any of `blockerIds` on any of `blockedIds`. */
  pairs(
    blockerIds: string[],
    blockedIds: string[],
  ): Promise<{ blocker_id: string; blocked_id: string }[]> {
    return this.blocks.query(
      `SELECT blocker_id, blocked_id FROM user_blocks
        WHERE blocker_id = ANY($1::uuid[]) AND blocked_id = ANY($2::uuid[])`,
      [blockerIds, blockedIds],
    );
  }

  /** Those who blocked `userId` (among `among`, when given). */
  async blockersOf(userId: string, among?: string[]): Promise<string[]> {
    const rows = await this.blocks.query<{ blocker_id: string }[]>(
      `SELECT blocker_id FROM user_blocks
        WHERE blocked_id = $1 AND ($2::uuid[] IS NULL OR blocker_id = ANY($2::uuid[]))`,
      [userId, among ?? null],
    );
    return rows.map((r) => r.blocker_id);
  }
}

/**
 * The blocks' part of the send statement (`MessagesRepository.insertBatch`): one primary-key
 * probe per message of a direct conversation; a group message has no peer and costs nothing.
 */
export const BLOCKS_SQL = {
  /** True unless `peer` (NULL for none) blocked `sender`. */
  allows: (peer: string, sender: string) => `
    (${peer} IS NULL OR NOT EXISTS (
       SELECT 1 FROM user_blocks b WHERE b.blocker_id = ${peer} AND b.blocked_id = ${sender}))`,
} as const;
