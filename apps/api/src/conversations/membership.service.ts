import {
  ForbiddenException,
  Injectable,
  Logger,
  NotFoundException,
  OnModuleDestroy,
  OnModuleInit,
} from '@nestjs/common';
import type { MemberRole } from '@chat/shared-dto';
import { DEFAULT_LIMITS } from '@chat/shared-dto';
import type Redis from 'ioredis';
import { EntityManager } from 'typeorm';
import { RedisService } from '../core/redis/redis.service';
import {
  MemberRow,
  MembersRepository,
  OwnMembershipRow,
  WatermarkMove,
} from './members.repository';

/** How long a cached member list may be served without a re-read (a safety net only). */
const TTL_MS = 60_000;
const MAX_ENTRIES = 100_000;

interface Entry {
  members: Set<string>;
  loadedAt: number;
}

/**
 * The conversations module's door to `conversation_members`. Who belongs to which
 * conversation is asked on every event: served from memory, invalidated at once when
 * membership changes, on every instance (Redis pub/sub) when Redis is configured.
 */
@Injectable()
export class MembershipService implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(MembershipService.name);
  private readonly cache = new Map<string, Entry>();
  /** Moves on every invalidation, so that a read that raced one does not fill the cache. */
  private generation = 0;
  private subscriber?: Redis;
  private readonly channel: string;

  constructor(
    private readonly repository: MembersRepository,
    private readonly redis: RedisService,
  ) {
    this.channel = `${redis.keyPrefix}membership-changed`;
  }

  async onModuleInit(): Promise<void> {
    if (!this.redis.enabled) return;
    this.subscriber = this.redis.duplicate();
    this.subscriber.on('message', (_channel: string, conversationId: string) =>
      this.forget(conversationId),
    );
    // Messages missed while Redis was away: forget everything rather than serve stale lists.
    this.subscriber.on('ready', () => this.forget());
    await this.subscriber.subscribe(this.channel);
  }

  async onModuleDestroy(): Promise<void> {
    await this.subscriber?.quit().catch(() => undefined);
  }

  async members(conversationId: string): Promise<Set<string>> {
    const cached = this.cache.get(conversationId);
    if (cached && Date.now() - cached.loadedAt < TTL_MS) return cached.members;
    const generation = this.generation;
    const members = new Set(await this.repository.userIds(conversationId));
    // A change invalidated while this read was on its way: its list may predate the change.
    if (generation !== this.generation) return members;
    if (this.cache.size >= MAX_ENTRIES) this.cache.clear();
    this.cache.set(conversationId, { members, loadedAt: Date.now() });
    return members;
  }

  async isMember(conversationId: string, userId: string): Promise<boolean> {
    return (await this.members(conversationId)).has(userId);
  }

  /** 404 for a conversation the caller is not in: its existence is not revealed. */
  async assertMember(conversationId: string, userId: string): Promise<Set<string>> {
    const members = await this.members(conversationId);
    if (!members.has(userId)) throw new NotFoundException('Conversation not found');
    return members;
  }

  /** Those of `userIds` who share at least one conversation with `userId` (one query). */
  async sharingWith(userId: string, userIds: string[]): Promise<Set<string>> {
    if (userIds.length === 0) return new Set();
    return new Set(await this.repository.sharingWith(userId, userIds));
  }

  /** 403 unless the two share a group: the setting "only people I share a group with". */
  async assertShareGroup(userId: string, otherId: string): Promise<void> {
    if (!(await this.repository.shareGroup(userId, otherId)))
      throw new ForbiddenException(
        'This user accepts direct messages only from people in a shared group',
      );
  }

  /** Call after committing a membership change. */
  async invalidate(conversationId: string): Promise<void> {
    this.forget(conversationId);
    if (this.redis.client) {
      await this.redis.client.publish(this.channel, conversationId).catch((err: Error) => {
        this.logger.warn(`could not publish a membership change: ${err.message}`);
      });
    }
  }

  roles(conversationId: string): Promise<Map<string, MemberRole>> {
    return this.repository.roles(conversationId);
  }

  /**
   * What a conversation payload embeds: each conversation's first `embeddedMembersMax` members
   * in joining order, plus `alsoUserIds` (the viewers) wherever they are members.
   */
  embeddedRowsOf(conversationIds: string[], alsoUserIds: string[]): Promise<MemberRow[]> {
    return conversationIds.length === 0
      ? Promise.resolve([])
      : this.repository.rowsOf(conversationIds, DEFAULT_LIMITS.embeddedMembersMax, alsoUserIds);
  }

  memberCounts(conversationIds: string[]): Promise<Map<string, number>> {
    return conversationIds.length === 0
      ? Promise.resolve(new Map())
      : this.repository.counts(conversationIds);
  }

  /** A page of members in ascending user id; a non-member caller gets the 404 of no conversation. */
  async page(
    conversationId: string,
    userId: string,
    after: string | null,
    limit: number,
  ): Promise<MemberRow[]> {
    await this.assertMember(conversationId, userId);
    return this.repository.page(conversationId, after, limit);
  }

  /** These users' rows in one conversation (absent for non-members). */
  rowsIn(conversationId: string, userIds: string[]): Promise<(MemberRow & OwnMembershipRow)[]> {
    return userIds.length === 0
      ? Promise.resolve([])
      : this.repository.rowsIn(conversationId, userIds);
  }

  /** The user's own rows: which conversations they are in, and how far they have read. */
  ownRows(userId: string, conversationIds?: string[]): Promise<OwnMembershipRow[]> {
    return this.repository.ownRows(userId, conversationIds);
  }

  setMutedUntil(conversationId: string, userId: string, until: Date | null): Promise<void> {
    return this.repository.setMutedUntil(conversationId, userId, until);
  }

  async mutedAmong(conversationId: string, userIds: string[]): Promise<Set<string>> {
    if (userIds.length === 0) return new Set();
    return new Set(await this.repository.mutedAmong(conversationId, userIds));
  }

  /** The user's conversations of at most `maxMembers` members (direct ones included). */
  conversationIdsUpTo(userId: string, maxMembers: number): Promise<string[]> {
    return this.repository.conversationIdsUpTo(userId, maxMembers);
  }

  /** The conversations the user belongs to: the rooms their sockets sit in. */
  async conversationIdsOf(userId: string): Promise<string[]> {
    return (await this.repository.ownRows(userId)).map((r) => r.conversation_id);
  }

  /** Adds members inside the caller's transaction; `invalidate` once it has committed. */
  add(
    manager: EntityManager | undefined,
    conversationId: string,
    entries: { userId: string; role: MemberRole }[],
  ): Promise<void> {
    return this.repository.add(manager, conversationId, entries);
  }

  /** Removes a member; an owner who leaves hands the group to the next in line. */
  async remove(
    manager: EntityManager,
    conversationId: string,
    userId: string,
    wasOwner: boolean,
  ): Promise<void> {
    await this.repository.remove(manager, conversationId, userId);
    if (wasOwner) await this.repository.promoteSuccessor(manager, conversationId);
  }

  setRole(conversationId: string, userId: string, role: MemberRole): Promise<void> {
    return this.repository.setRole(conversationId, userId, role);
  }

  /** For receipts: moves the member's watermarks forward, inside the caller's transaction. */
  moveWatermarks(
    manager: EntityManager,
    conversationId: string,
    userId: string,
    seq: number,
    read: boolean,
  ): Promise<WatermarkMove | null> {
    return this.repository.moveWatermarks(manager, conversationId, userId, seq, read);
  }

  private forget(conversationId?: string): void {
    this.generation += 1;
    if (conversationId) this.cache.delete(conversationId);
    else this.cache.clear();
  }
}
