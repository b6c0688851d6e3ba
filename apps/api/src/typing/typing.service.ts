import { Injectable, OnModuleDestroy } from '@nestjs/common';
import { DEFAULT_LIMITS } from '@chat/shared-dto';
import { MembershipService } from '../conversations/membership.service';
import { DomainEvents, OnDomainEvent } from '../core/events/domain-events';
import { MESSAGE_CREATED, MessageCreatedEvent } from '../messages/message.events';
import { BlocksService } from '../users/blocks.service';
import { TYPING_CHANGED } from './typing.events';

/** A start repeated within this window refreshes the expiry but is not relayed again. */
const RELAY_INTERVAL_MS = 2000;

interface Typing {
  timer: NodeJS.Timeout;
  relayedAt: number;
}

/**
 * Relays typing to the other members only, throttled; a start with no stop ends with a
 * server-sent `typing:stop` after 5 s. Kept on the instance that received the start.
 */
@Injectable()
export class TypingService implements OnModuleDestroy {
  private readonly typing = new Map<string, Typing>();

  constructor(
    private readonly membership: MembershipService,
    private readonly blocks: BlocksService,
    private readonly events: DomainEvents,
  ) {}

  async start(userId: string, conversationId: string): Promise<void> {
    await this.membership.assertMember(conversationId, userId);
    const key = `${conversationId}:${userId}`;
    const current = this.typing.get(key);
    if (current) clearTimeout(current.timer);
    const timer = setTimeout(
      () => void this.stop(userId, conversationId).catch(() => undefined),
      DEFAULT_LIMITS.typingExpiryMs,
    );
    timer.unref();
    const relay = !current || Date.now() - current.relayedAt >= RELAY_INTERVAL_MS;
    this.typing.set(key, { timer, relayedAt: relay ? Date.now() : (current?.relayedAt ?? 0) });
    if (relay) {
      const except = await this.leftOut(userId);
      this.events.emit(TYPING_CHANGED, { conversationId, userId, typing: true, except });
    }
  }

  async stop(userId: string, conversationId: string): Promise<void> {
    const key = `${conversationId}:${userId}`;
    const current = this.typing.get(key);
    if (!current) {
      await this.membership.assertMember(conversationId, userId);
      return;
    }
    clearTimeout(current.timer);
    this.typing.delete(key);
    const except = await this.leftOut(userId);
    this.events.emit(TYPING_CHANGED, { conversationId, userId, typing: false, except });
  }

  /** A sent message ends its sender's typing. */
  @OnDomainEvent(MESSAGE_CREATED)
  async messageSent({ message }: MessageCreatedEvent): Promise<void> {
    if (this.typing.has(`${message.conversationId}:${message.senderId}`))
      await this.stop(message.senderId, message.conversationId);
  }

  /** Who is not told of `userId`'s typing: themself and anyone they blocked. */
  private async leftOut(userId: string): Promise<string[]> {
    return [userId, ...(await this.blocks.blockedBy(userId))];
  }

  onModuleDestroy(): void {
    for (const { timer } of this.typing.values()) clearTimeout(timer);
    this.typing.clear();
  }
}
