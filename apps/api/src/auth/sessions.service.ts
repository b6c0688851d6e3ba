import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { SessionView } from '@chat/shared-dto';
import { AppConfig } from '../core/config/app-config';
import { APP_CONFIG } from '../core/config/config.module';
import { DomainEvents } from '../core/events/domain-events';
import { SESSIONS_REVOKED } from './session.events';
import { SessionStore, StoredSession } from './session-store';

/** How stale `lastUsedAt` may get before a request writes it again. */
const TOUCH_INTERVAL_MS = 60_000;

export interface DeviceInfo {
  userAgent?: string;
  ip?: string | null;
}

@Injectable()
export class SessionsService {
  constructor(
    private readonly store: SessionStore,
    private readonly events: DomainEvents,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async create(userId: string, device: DeviceInfo): Promise<StoredSession> {
    const now = new Date();
    const session: StoredSession = {
      id: randomUUID(),
      userId,
      device: describeDevice(device.userAgent),
      ip: device.ip?.slice(0, 64) ?? null,
      createdAt: now,
      lastUsedAt: now,
      expiresAt: new Date(now.getTime() + this.config.jwt.expiresInSeconds * 1000),
    };
    await this.store.create(session);
    return session;
  }

  /** The live session behind a token's `jti`, if it belongs to `userId`. */
  async findLive(sessionId: string, userId: string): Promise<StoredSession | null> {
    const session = await this.store.get(sessionId);
    if (!session || session.userId !== userId || session.expiresAt.getTime() <= Date.now())
      return null;
    if (Date.now() - session.lastUsedAt.getTime() > TOUCH_INTERVAL_MS) {
      await this.store.touch(sessionId, new Date());
    }
    return session;
  }

  async list(userId: string, currentSessionId: string): Promise<SessionView[]> {
    const sessions = await this.store.listForUser(userId);
    return sessions.map((s) => ({
      id: s.id,
      device: s.device,
      ip: s.ip,
      createdAt: s.createdAt.toISOString(),
      lastUsedAt: s.lastUsedAt.toISOString(),
      expiresAt: s.expiresAt.toISOString(),
      current: s.id === currentSessionId,
    }));
  }

  /** Revokes one session and closes its sockets on every instance. */
  async revoke(userId: string, sessionId: string): Promise<boolean> {
    const revoked = await this.store.revoke(userId, sessionId);
    if (revoked) await this.revoked(userId, [sessionId]);
    return revoked;
  }

  async revokeAllExcept(userId: string, keepSessionId: string | null): Promise<number> {
    const ids = await this.store.revokeAllExcept(userId, keepSessionId);
    await this.revoked(userId, ids);
    return ids.length;
  }

  /**
   * Tells the listeners (sockets closed everywhere, the sessions' push subscriptions removed)
   * and waits for them, so that a revocation has taken effect when it answers.
   */
  private async revoked(userId: string, sessionIds: string[]): Promise<void> {
    if (sessionIds.length > 0)
      await this.events.emitAndWait(SESSIONS_REVOKED, { userId, sessionIds });
  }
}

/** A short human label ("Chrome on Linux") for the sessions list; the raw agent is not kept. */
export function describeDevice(userAgent: string | undefined): string {
  if (!userAgent) return 'Unknown device';
  const browser = /Edg\//.test(userAgent)
    ? 'Edge'
    : /OPR\//.test(userAgent)
      ? 'Opera'
      : /Firefox\//.test(userAgent)
        ? 'Firefox'
        : /Chrome\/|Chromium\//.test(userAgent)
          ? 'Chrome'
          : /Safari\//.test(userAgent)
            ? 'Safari'
            : null;
  const os = /Android/.test(userAgent)
    ? 'Android'
    : /iPhone|iPad|iOS/.test(userAgent)
      ? 'iOS'
      : /Windows/.test(userAgent)
        ? 'Windows'
        : /Mac OS X|Macintosh/.test(userAgent)
          ? 'macOS'
          : /Linux/.test(userAgent)
            ? 'Linux'
            : null;
  if (browser && os) return `${browser} on ${os}`;
  return (browser ?? os ?? userAgent).slice(0, 200);
}
