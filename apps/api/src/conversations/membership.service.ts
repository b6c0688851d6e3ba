import {
  Injectable,
  Logger,
  NotFoundException,
  OnModuleDestroy,
  OnModuleInit,
} from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type Redis from 'ioredis';
import { DataSource } from 'typeorm';
import { RedisService } from '../core/redis/redis.service';

/** How long a cached member list may be served without a re-read (a safety net only). */
const TTL_MS = 60_000;
const MAX_ENTRIES = 100_000;

interface Entry {
  members: Set<string>;
  loadedAt: number;
}

/**
 * Who belongs to which conversation, asked on every event: served from memory, invalidated
 * at once when membership changes, on every instance (Redis pub/sub) when Redis is configured.
 */
@Injectable()
export class MembershipService implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(MembershipService.name);
  private readonly cache = new Map<string, Entry>();
  private subscriber?: Redis;
  private readonly channel: string;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly redis: RedisService,
  ) {
    this.channel = `${redis.keyPrefix}membership-changed`;
  }

  async onModuleInit(): Promise<void> {
    if (!this.redis.enabled) return;
    this.subscriber = this.redis.duplicate();
    this.subscriber.on('message', (_channel: string, conversationId: string) =>
      this.cache.delete(conversationId),
    );
    // Messages missed while Redis was away: forget everything rather than serve stale lists.
    this.subscriber.on('ready', () => this.cache.clear());
    await this.subscriber.subscribe(this.channel);
  }

  async onModuleDestroy(): Promise<void> {
    await this.subscriber?.quit().catch(() => undefined);
  }

  async members(conversationId: string): Promise<Set<string>> {
    const cached = this.cache.get(conversationId);
    if (cached && Date.now() - cached.loadedAt < TTL_MS) return cached.members;
    const rows = await this.db.query<{ user_id: string }[]>(
      'SELECT user_id FROM conversation_members WHERE conversation_id = $1',
      [conversationId],
    );
    const members = new Set(rows.map((r) => r.user_id));
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
    const rows = await this.db.query<{ user_id: string }[]>(
      `SELECT DISTINCT other.user_id
         FROM conversation_members mine
         JOIN conversation_members other ON other.conversation_id = mine.conversation_id
        WHERE mine.user_id = $1 AND other.user_id = ANY($2::uuid[])`,
      [userId, userIds],
    );
    return new Set(rows.map((r) => r.user_id));
  }

  /** Call after committing a membership change. */
  async invalidate(conversationId: string): Promise<void> {
    this.cache.delete(conversationId);
    if (this.redis.client) {
      await this.redis.client.publish(this.channel, conversationId).catch((err: Error) => {
        this.logger.warn(`could not publish a membership change: ${err.message}`);
      });
    }
  }
}
