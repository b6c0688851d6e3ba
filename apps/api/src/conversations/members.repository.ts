import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { MemberRole } from '@chat/shared-dto';
import { EntityManager, Repository } from 'typeorm';
import { returningRows } from '../core/database/returning';
import { ConversationMemberEntity } from './conversation-member.entity';

/** A member's place in a conversation, without their profile (the users module has that). */
export interface MemberRow {
  conversation_id: string;
  user_id: string;
  role: MemberRole;
  last_read_seq: string;
  last_delivered_seq: string;
}

/** The caller's own row in each of their conversations. */
export interface OwnMembershipRow {
  conversation_id: string;
  last_read_seq: string;
  muted_until: Date | null;
}

export interface WatermarkMove {
  readMoved: boolean;
  deliveredMoved: boolean;
  at: Date;
}

/**
 * Every SQL on `conversation_members`: who belongs where, roles, and the read/delivered
 * watermarks. Plain reads and writes go through TypeORM; the watermark move and the pieces of
 * the send statement are hand-written because they run on every receipt and every send.
 */
@Injectable()
export class MembersRepository {
  constructor(
    @InjectRepository(ConversationMemberEntity)
    private readonly members: Repository<ConversationMemberEntity>,
  ) {}

  async userIds(conversationId: string): Promise<string[]> {
    const rows = await this.members.find({
      select: { userId: true },
      where: { conversationId },
    });
    return rows.map((r) => r.userId);
  }

  async roles(conversationId: string): Promise<Map<string, MemberRole>> {
    const rows = await this.members.find({
      select: { userId: true, role: true },
      where: { conversationId },
    });
    return new Map(rows.map((r) => [r.userId, r.role]));
  }

  /**
   * The first `limit` members of each conversation in joining order (the index's range scan,
   * whatever the group's size), plus the rows of `alsoUserIds` wherever they are members.
   */
  rowsOf(conversationIds: string[], limit: number, alsoUserIds: string[]): Promise<MemberRow[]> {
    return this.members.query(
      `SELECT conversation_id, user_id, role, last_read_seq, last_delivered_seq FROM (
         SELECT m.* FROM unnest($1::uuid[]) AS c(id) CROSS JOIN LATERAL (
           SELECT conversation_id, user_id, role, last_read_seq, last_delivered_seq, joined_at
             FROM conversation_members WHERE conversation_id = c.id
            ORDER BY joined_at, user_id LIMIT $2) m
         UNION
         SELECT conversation_id, user_id, role, last_read_seq, last_delivered_seq, joined_at
           FROM conversation_members
          WHERE conversation_id = ANY($1::uuid[]) AND user_id = ANY($3::uuid[])) r
        ORDER BY joined_at, user_id`,
      [conversationIds, limit, alsoUserIds],
    );
  }

  /** How many members each conversation has (an index-only count). */
  async counts(conversationIds: string[]): Promise<Map<string, number>> {
    const rows = await this.members.query<{ conversation_id: string; n: number }[]>(
      `SELECT conversation_id, count(*)::int AS n FROM conversation_members
        WHERE conversation_id = ANY($1::uuid[]) GROUP BY conversation_id`,
      [conversationIds],
    );
    return new Map(rows.map((r) => [r.conversation_id, Number(r.n)]));
  }

  /** A page of a conversation's members in ascending user id, after `after` when given. */
  page(conversationId: string, after: string | null, limit: number): Promise<MemberRow[]> {
    return this.members.query(
      `SELECT conversation_id, user_id, role, last_read_seq, last_delivered_seq
         FROM conversation_members
        WHERE conversation_id = $1 AND ($2::uuid IS NULL OR user_id > $2::uuid)
        ORDER BY user_id LIMIT $3`,
      [conversationId, after, limit],
    );
  }

  /** These users' rows in one conversation: their place in it and their own settings. */
  rowsIn(conversationId: string, userIds: string[]): Promise<(MemberRow & OwnMembershipRow)[]> {
    return this.members.query(
      `SELECT conversation_id, user_id, role, last_read_seq, last_delivered_seq, muted_until
         FROM conversation_members WHERE conversation_id = $1 AND user_id = ANY($2::uuid[])`,
      [conversationId, userIds],
    );
  }

  /** The user's row in every conversation they belong to. */
  ownRows(userId: string, conversationIds?: string[]): Promise<OwnMembershipRow[]> {
    return this.members.query(
      `SELECT conversation_id, last_read_seq, muted_until FROM conversation_members
        WHERE user_id = $1 AND ($2::uuid[] IS NULL OR conversation_id = ANY($2::uuid[]))`,
      [userId, conversationIds ?? null],
    );
  }

  async add(
    manager: EntityManager | undefined,
    conversationId: string,
    entries: { userId: string; role: MemberRole }[],
  ): Promise<void> {
    if (entries.length === 0) return;
    await this.repo(manager)
      .createQueryBuilder()
      .insert()
      .values(entries.map((e) => ({ conversationId, userId: e.userId, role: e.role })))
      .orIgnore()
      .execute();
  }

  async remove(manager: EntityManager, conversationId: string, userId: string): Promise<void> {
    await this.repo(manager).delete({ conversationId, userId });
  }

  /** The owner left: the longest-standing admin, else member, takes over. */
  async promoteSuccessor(manager: EntityManager, conversationId: string): Promise<void> {
    await this.repo(manager).query(
      `UPDATE conversation_members SET role = 'owner'
        WHERE conversation_id = $1 AND user_id = (
          SELECT user_id FROM conversation_members WHERE conversation_id = $1
           ORDER BY (role = 'admin') DESC, joined_at LIMIT 1)`,
      [conversationId],
    );
  }

  async setRole(conversationId: string, userId: string, role: MemberRole): Promise<void> {
    await this.members.update({ conversationId, userId }, { role });
  }

  /** A member's own mute; a past or null instant unmutes. */
  async setMutedUntil(conversationId: string, userId: string, until: Date | null): Promise<void> {
    const mutedUntil = until && until.getTime() > Date.now() ? until : null;
    await this.members.update({ conversationId, userId }, { mutedUntil });
  }

  /** Those of `userIds` who have the conversation muted now. */
  async mutedAmong(conversationId: string, userIds: string[]): Promise<string[]> {
    const rows = await this.members.query<{ user_id: string }[]>(
      `SELECT user_id FROM conversation_members
        WHERE conversation_id = $1 AND user_id = ANY($2::uuid[]) AND muted_until > now()`,
      [conversationId, userIds],
    );
    return rows.map((r) => r.user_id);
  }

  /**
   * The user's conversations with at most `maxMembers` members. Each count stops at
   * `maxMembers + 1` rows, so a 10,000-member group costs no more than a small one.
   */
  async conversationIdsUpTo(userId: string, maxMembers: number): Promise<string[]> {
    const rows = await this.members.query<{ conversation_id: string }[]>(
      `SELECT mine.conversation_id FROM conversation_members mine
        WHERE mine.user_id = $1
          AND (SELECT count(*) FROM (SELECT 1 FROM conversation_members o
                 WHERE o.conversation_id = mine.conversation_id LIMIT $2 + 1) n) <= $2`,
      [userId, maxMembers],
    );
    return rows.map((r) => r.conversation_id);
  }

  /** Which of `userIds` share at least one conversation with the user. */
  async sharingWith(userId: string, userIds: string[]): Promise<string[]> {
    const rows = await this.members.query<{ user_id: string }[]>(
      `SELECT DISTINCT other.user_id
         FROM conversation_members mine
         JOIN conversation_members other ON other.conversation_id = mine.conversation_id
        WHERE mine.user_id = $1 AND other.user_id = ANY($2::uuid[])`,
      [userId, userIds],
    );
    return rows.map((r) => r.user_id);
  }

  /** Whether the two users are both members of at least one group. */
  async shareGroup(userId: string, otherId: string): Promise<boolean> {
    const rows = await this.members.query<unknown[]>(
      `SELECT 1 FROM conversation_members mine
         JOIN conversation_members other ON other.conversation_id = mine.conversation_id
         JOIN conversations c ON c.id = mine.conversation_id AND c.type = 'group'
        WHERE mine.user_id = $1 AND other.user_id = $2
        LIMIT 1`,
      [userId, otherId],
    );
    return rows.length > 0;
  }

  /**
   * Moves a member's watermarks forward to `seq` (delivered always, read too when asked);
   * never backwards. Answers which of them moved, or null when the user is no member.
   */
  async moveWatermarks(
    manager: EntityManager,
    conversationId: string,
    userId: string,
    seq: number,
    read: boolean,
  ): Promise<WatermarkMove | null> {
    const [moved] = returningRows<{ read_moved: boolean; delivered_moved: boolean; at: Date }>(
      await manager.query(
        `WITH before AS (
           SELECT last_read_seq, last_delivered_seq FROM conversation_members
            WHERE conversation_id = $1 AND user_id = $2 FOR UPDATE)
         UPDATE conversation_members cm
            SET last_delivered_seq = GREATEST(cm.last_delivered_seq, $3),
                last_read_seq = CASE WHEN $4 THEN GREATEST(cm.last_read_seq, $3) ELSE cm.last_read_seq END
           FROM before
          WHERE cm.conversation_id = $1 AND cm.user_id = $2
         RETURNING ($4 AND before.last_read_seq < $3) AS read_moved,
                   (before.last_delivered_seq < $3) AS delivered_moved, now() AS at`,
        [conversationId, userId, seq, read],
      ),
    );
    if (!moved) return null;
    return { readMoved: moved.read_moved, deliveredMoved: moved.delivered_moved, at: moved.at };
  }

  private repo(manager?: EntityManager): Repository<ConversationMemberEntity> {
    return manager ? manager.getRepository(ConversationMemberEntity) : this.members;
  }
}

/**
 * The members' part of the send statement (`MessagesRepository.insertBatch`), composed into it so
 * that a batch stays one round trip.
 */
export const MEMBERS_SQL = {
  /**
   * Locks the senders' memberships (after their conversations, so that batches never wait on
   * each other in a cycle). A removal that committed first has taken the row away and the send
   * is refused; one that comes later waits until the batch is stored.
   */
  lockSenders: (input: string, lockedConversations: string) => `
    SELECT cm.conversation_id, cm.user_id FROM conversation_members cm
      JOIN ${lockedConversations} l ON l.id = cm.conversation_id
     WHERE (cm.conversation_id, cm.user_id) IN (SELECT conversation_id, sender_id FROM ${input})
       FOR SHARE OF cm`,
  /** Moves each sender's own read and delivered watermarks to their newest message. */
  moveSenderWatermarks: (numbered: string) => `
    UPDATE conversation_members cm
       SET last_read_seq = GREATEST(cm.last_read_seq, w.seq),
           last_delivered_seq = GREATEST(cm.last_delivered_seq, w.seq)
      FROM (SELECT conversation_id, sender_id, max(seq) AS seq FROM ${numbered} GROUP BY 1, 2) w
     WHERE cm.conversation_id = w.conversation_id AND cm.user_id = w.sender_id
    RETURNING 1`,
} as const;
