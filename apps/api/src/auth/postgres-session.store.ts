import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { IsNull, MoreThan, Not, Repository } from 'typeorm';
import { SessionEntity } from './session.entity';
import { SessionStore, StoredSession } from './session-store';

/**
 * Sessions in PostgreSQL, for the single-instance mode without Redis. Lookups are cached in
 * this process; revocations happen in this process too, so they evict the cache at once.
 */
@Injectable()
export class PostgresSessionStore extends SessionStore {
  private readonly cache = new Map<string, StoredSession>();

  constructor(
    @InjectRepository(SessionEntity) private readonly sessions: Repository<SessionEntity>,
  ) {
    super();
  }

  async create(session: StoredSession): Promise<void> {
    await this.sessions.insert({ ...session, revokedAt: null });
  }

  async get(id: string): Promise<StoredSession | null> {
    const cached = this.cache.get(id);
    if (cached) {
      if (cached.expiresAt.getTime() > Date.now()) return cached;
      this.cache.delete(id);
      return null;
    }
    const row = await this.sessions.findOne({
      where: { id, revokedAt: IsNull(), expiresAt: MoreThan(new Date()) },
    });
    if (!row) return null;
    const session = toStored(row);
    if (this.cache.size > 50_000) this.cache.clear();
    this.cache.set(id, session);
    return session;
  }

  async touch(id: string, at: Date): Promise<void> {
    const cached = this.cache.get(id);
    if (cached) cached.lastUsedAt = at;
    await this.sessions.update({ id }, { lastUsedAt: at });
  }

  async listForUser(userId: string): Promise<StoredSession[]> {
    const rows = await this.sessions.find({
      where: { userId, revokedAt: IsNull(), expiresAt: MoreThan(new Date()) },
      order: { lastUsedAt: 'DESC' },
    });
    return rows.map(toStored);
  }

  async revoke(userId: string, id: string): Promise<boolean> {
    this.cache.delete(id);
    const result = await this.sessions.update(
      { id, userId, revokedAt: IsNull() },
      { revokedAt: new Date() },
    );
    return (result.affected ?? 0) > 0;
  }

  async revokeAllExcept(userId: string, keepId: string | null): Promise<string[]> {
    const live = await this.sessions.find({
      select: { id: true },
      where: { userId, revokedAt: IsNull(), ...(keepId ? { id: Not(keepId) } : {}) },
    });
    const ids = live.map((s) => s.id);
    for (const id of ids) this.cache.delete(id);
    if (ids.length > 0) {
      await this.sessions
        .createQueryBuilder()
        .update()
        .set({ revokedAt: new Date() })
        .whereInIds(ids)
        .execute();
    }
    return ids;
  }
}

function toStored(row: SessionEntity): StoredSession {
  return {
    id: row.id,
    userId: row.userId,
    device: row.device,
    ip: row.ip,
    createdAt: row.createdAt,
    lastUsedAt: row.lastUsedAt,
    expiresAt: row.expiresAt,
  };
}
