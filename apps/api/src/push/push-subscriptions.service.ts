import { BadRequestException, Inject, Injectable } from '@nestjs/common';
import { OnDomainEvent } from '../core/events/domain-events';
import { InjectDataSource } from '@nestjs/typeorm';
import { MAX_PUSH_SUBSCRIPTIONS_PER_USER, PushSubscriptionDto } from '@chat/shared-dto';
import { DataSource } from 'typeorm';
import { AuthUser } from '../core/auth/auth-user';
import { SESSIONS_REVOKED, SessionsRevokedEvent } from '../auth/session.events';
import { AppConfig } from '../core/config/app-config';
import { APP_CONFIG } from '../core/config/config.module';
import { assertAllowedEndpoint, EndpointRefusedError, Resolver } from './endpoint-policy';
import { PUSH_RESOLVER } from './push.tokens';

export interface StoredSubscription {
  id: string;
  userId: string;
  endpoint: string;
  p256dh: string;
  auth: string;
}

const COLUMNS = 'id, user_id AS "userId", endpoint, p256dh, auth';

/** Browsers' push subscriptions: one per session, at most ten per user, gone with the session. */
@Injectable()
export class PushSubscriptionsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(PUSH_RESOLVER) private readonly resolve: Resolver,
  ) {}

  async subscribe(user: AuthUser, body: PushSubscriptionDto): Promise<void> {
    try {
      await assertAllowedEndpoint(
        body.endpoint,
        { allowInsecure: this.config.push.allowInsecureEndpoints },
        this.resolve,
      );
    } catch (err) {
      if (err instanceof EndpointRefusedError) throw new BadRequestException(err.message);
      throw err;
    }
    assertKeys(body.keys.p256dh, body.keys.auth);
    await this.db.transaction(async (tx) => {
      // One user's subscribes take turns, so that two at once cannot both pass the cap.
      await tx.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, [
        `push-subscriptions:${user.id}`,
      ]);
      await tx.query(
        `DELETE FROM push_subscriptions
          WHERE user_id = $1 AND (expires_at <= now() OR (session_id = $2 AND endpoint <> $3))`,
        [user.id, user.sessionId, body.endpoint],
      );
      const [{ count }] = await tx.query<{ count: number }[]>(
        `SELECT count(*)::int AS count FROM push_subscriptions WHERE user_id = $1 AND endpoint <> $2`,
        [user.id, body.endpoint],
      );
      if (count >= MAX_PUSH_SUBSCRIPTIONS_PER_USER)
        throw new BadRequestException(
          `at most ${MAX_PUSH_SUBSCRIPTIONS_PER_USER} push subscriptions per user: unsubscribe another device first`,
        );
      await tx.query(
        `INSERT INTO push_subscriptions (user_id, session_id, endpoint, p256dh, auth, expires_at)
         VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (endpoint) DO UPDATE SET user_id = EXCLUDED.user_id,
           session_id = EXCLUDED.session_id, p256dh = EXCLUDED.p256dh, auth = EXCLUDED.auth,
           expires_at = EXCLUDED.expires_at`,
        [
          user.id,
          user.sessionId,
          body.endpoint,
          body.keys.p256dh,
          body.keys.auth,
          new Date(user.expiresAt),
        ],
      );
    });
  }

  async unsubscribe(userId: string, endpoint: string): Promise<void> {
    await this.db.query('DELETE FROM push_subscriptions WHERE user_id = $1 AND endpoint = $2', [
      userId,
      endpoint,
    ]);
  }

  @OnDomainEvent(SESSIONS_REVOKED)
  async onSessionsRevoked(event: SessionsRevokedEvent): Promise<void> {
    await this.db.query(
      'DELETE FROM push_subscriptions WHERE user_id = $1 AND session_id = ANY($2::uuid[])',
      [event.userId, event.sessionIds],
    );
  }

  /** The live subscriptions of these users (their session has not expired). */
  async forUsers(userIds: string[]): Promise<StoredSubscription[]> {
    if (userIds.length === 0) return [];
    return this.db.query<StoredSubscription[]>(
      `SELECT ${COLUMNS} FROM push_subscriptions
        WHERE user_id = ANY($1::uuid[]) AND expires_at > now()`,
      [userIds],
    );
  }

  async findLive(id: string): Promise<StoredSubscription | null> {
    const [row] = await this.db.query<StoredSubscription[]>(
      `SELECT ${COLUMNS} FROM push_subscriptions WHERE id = $1 AND expires_at > now()`,
      [id],
    );
    return row ?? null;
  }

  async remove(id: string): Promise<void> {
    await this.db.query('DELETE FROM push_subscriptions WHERE id = $1', [id]);
  }
}

/** web-push would only fail at the first push; a bad key is the subscriber's mistake now. */
function assertKeys(p256dh: string, auth: string): void {
  const key = Buffer.from(p256dh, 'base64url');
  if (key.length !== 65 || key[0] !== 0x04)
    throw new BadRequestException('keys.p256dh must be an uncompressed P-256 public key');
  if (Buffer.from(auth, 'base64url').length < 16)
    throw new BadRequestException('keys.auth must be at least 16 bytes');
}
