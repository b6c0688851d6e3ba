import {
  BeforeApplicationShutdown,
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
} from '@nestjs/common';
import { DEFAULT_LIMITS } from '@chat/shared-dto';
import { MembershipService } from '../conversations/membership.service';
import { AppConfig } from '../core/config/app-config';
import { APP_CONFIG } from '../core/config/config.module';
import { DomainEvents } from '../core/events/domain-events';
import { RedisService } from '../core/redis/redis.service';
import { BlocksService } from '../users/blocks.service';
import { UsersService } from '../users/users.service';
import { PRESENCE_CHANGED } from './presence.events';
import {
  HEARTBEAT_MS,
  MemoryPresenceStore,
  PresenceStore,
  RedisPresenceStore,
} from './presence.store';

/**
 * Online at a user's first device, offline (with `lastSeen`) a grace period after the last one
 * leaves, announced only to users who share a conversation with them; `status` and `last_seen`
 * are persisted so that REST views agree with the events.
 */
@Injectable()
export class PresenceService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(PresenceService.name);
  private readonly store: PresenceStore;
  private readonly pendingOffline = new Map<string, NodeJS.Timeout>();
  private heartbeat?: NodeJS.Timeout;
  private stopping = false;

  constructor(
    private readonly users: UsersService,
    private readonly membership: MembershipService,
    private readonly blocks: BlocksService,
    private readonly events: DomainEvents,
    redis: RedisService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.store = redis.client ? new RedisPresenceStore(redis.client) : new MemoryPresenceStore();
  }

  async onApplicationBootstrap(): Promise<void> {
    const store = this.store;
    if (!(store instanceof RedisPresenceStore)) {
      // One instance holds every socket: nobody can be online before it starts.
      await this.users.setEveryoneOffline();
      return;
    }
    await store.heartbeat();
    this.heartbeat = setInterval(() => {
      void this.tick(store).catch((err: Error) =>
        this.logger.warn(`presence heartbeat: ${err.message}`),
      );
    }, HEARTBEAT_MS);
    this.heartbeat.unref();
  }

  /** Runs while the database and Redis are still open; sockets closing after it are ignored. */
  async beforeApplicationShutdown(): Promise<void> {
    this.stopping = true;
    clearInterval(this.heartbeat);
    for (const timer of this.pendingOffline.values()) clearTimeout(timer);
    if (this.store instanceof RedisPresenceStore) {
      const offline = await this.store.leave().catch(() => []);
      await Promise.all(offline.map((id) => this.announceOffline(id).catch(() => undefined)));
    }
  }

  async connected(userId: string): Promise<void> {
    if (this.stopping) return;
    const devices = await this.store.connect(userId);
    const pending = this.pendingOffline.get(userId);
    if (pending) {
      // Back within the grace period (a reload): they never went offline.
      clearTimeout(pending);
      this.pendingOffline.delete(userId);
      return;
    }
    if (devices === 1) {
      await this.users.setOnline(userId);
      this.events.emit(PRESENCE_CHANGED, {
        userId,
        online: true,
        ...(await this.audience(userId)),
      });
    }
  }

  async disconnected(userId: string): Promise<void> {
    if (this.stopping) return;
    const devices = await this.store.disconnect(userId);
    if (devices > 0 || this.pendingOffline.has(userId)) return;
    const timer = setTimeout(() => {
      this.pendingOffline.delete(userId);
      void this.offlineIfGone(userId).catch((err: Error) =>
        this.logger.warn(`presence: ${err.message}`),
      );
    }, this.config.presenceGraceMs);
    timer.unref();
    this.pendingOffline.set(userId, timer);
  }

  /** Devices of the user connected right now, on any instance. */
  connectedDevices(userId: string): Promise<number> {
    return this.store.devices(userId);
  }

  /** Those of the users with no device connected anywhere, in one round trip. */
  away(userIds: string[]): Promise<string[]> {
    return this.store.away(userIds);
  }

  /**
   * Everyone who shares a conversation with the user, except those the user blocked: the rooms
   * of the user's conversations. Groups larger than the old 256-member cap are left out: when a
   * 10,000-member group reconnects (a deploy, a network blip), pushing each member's online to
   * every other is 10,000² events; their members read presence from the members page instead.
   */
  private async audience(userId: string): Promise<{ conversationIds: string[]; except: string[] }> {
    const [conversationIds, blocked] = await Promise.all([
      this.membership.conversationIdsUpTo(userId, DEFAULT_LIMITS.embeddedMembersMax),
      this.blocks.blockedBy(userId),
    ]);
    return { conversationIds, except: [userId, ...blocked] };
  }

  private async offlineIfGone(userId: string): Promise<void> {
    if ((await this.store.devices(userId)) === 0) await this.announceOffline(userId);
  }

  private async tick(store: RedisPresenceStore): Promise<void> {
    await store.heartbeat();
    for (const userId of await store.reapDeadInstances()) await this.announceOffline(userId);
  }

  private async announceOffline(userId: string): Promise<void> {
    const lastSeen = await this.users.setOffline(userId);
    if (!lastSeen) return;
    // A device that connected while the write was on its way has been announced online: keep it.
    if ((await this.store.devices(userId)) > 0) {
      await this.users.setOnline(userId);
      return;
    }
    this.events.emit(PRESENCE_CHANGED, {
      userId,
      online: false,
      lastSeen: lastSeen.toISOString(),
      ...(await this.audience(userId)),
    });
  }
}
