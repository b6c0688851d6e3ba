import { Inject, Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { OnDomainEvent } from '../core/events/domain-events';
import type { PushPayload } from '@chat/shared-dto';
import { ConversationSettingsService } from '../conversations/conversation-settings.service';
import { MESSAGE_CREATED, MessageCreatedEvent } from '../messages/message.events';
import { PresenceService } from '../presence/presence.service';
import { UsersService } from '../users/users.service';
import { pushPayloadFor, topicFor } from './push-content';
import { PushSender } from './push-sender';
import { PushSubscriptionsService } from './push-subscriptions.service';
import { PermanentPushError, PushJob, PushQueue } from './push.queue';
import { PUSH_QUEUE } from './push.tokens';
import { VapidKeysService } from './vapid-keys.service';

/**
 * A Web Push for each new message to each member with no connected device, never for their own
 * messages, not for a conversation they muted unless they are mentioned. The listener only
 * enqueues; everything that waits on the database or a push service runs from the queue.
 */
@Injectable()
export class PushNotifierService implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(PushNotifierService.name);

  constructor(
    @Inject(PUSH_QUEUE) private readonly queue: PushQueue,
    private readonly sender: PushSender,
    private readonly subscriptions: PushSubscriptionsService,
    private readonly vapid: VapidKeysService,
    private readonly presence: PresenceService,
    private readonly settings: ConversationSettingsService,
    private readonly users: UsersService,
  ) {}

  onModuleInit(): void {
    this.queue.process((job) => this.run(job));
  }

  async onApplicationShutdown(): Promise<void> {
    await this.queue.close();
    this.sender.close();
  }

  /**
   * Most messages reach members who are online: one presence look-up (memory, or one pipelined
   * Redis round trip) decides, so that only messages with someone away cost a queued job.
   */
  @OnDomainEvent(MESSAGE_CREATED)
  async onMessageCreated(event: MessageCreatedEvent): Promise<void> {
    const others = event.memberIds.filter((id) => id !== event.message.senderId);
    if (others.length === 0) return;
    try {
      const away = await this.presence.away(others);
      if (away.length === 0) return;
      await this.queue.add({ kind: 'fanout', event }, `fanout_${event.message.id}`);
    } catch (err) {
      this.logger.warn(`could not queue a push: ${(err as Error).message}`);
    }
  }

  async run(job: PushJob): Promise<void> {
    if (job.kind === 'fanout') await this.fanOut(job.event);
    else await this.deliver(job.subscriptionId, job.payload, job.topic);
  }

  private async fanOut({ message, memberIds }: MessageCreatedEvent): Promise<void> {
    const away = await this.presence.away(memberIds.filter((id) => id !== message.senderId));
    if (away.length === 0) return;
    const conversation = await this.settings.pushContext(message.conversationId, away);
    if (!conversation) return;
    const mentioned = new Set(message.mentions);
    const recipients = away.filter((id) => !conversation.muted.has(id) || mentioned.has(id));
    const subscriptions = await this.subscriptions.forUsers(recipients);
    if (subscriptions.length === 0) return;
    const sender = await this.users.findById(message.senderId);
    if (!sender) return;
    const payload = pushPayloadFor(message, sender, conversation);
    const topic = topicFor(message.conversationId);
    for (const subscription of subscriptions) {
      await this.queue.add(
        { kind: 'deliver', subscriptionId: subscription.id, payload, topic },
        `deliver_${message.id}_${subscription.id}`,
      );
    }
  }

  private async deliver(
    subscriptionId: string,
    payload: PushPayload,
    topic: string,
  ): Promise<void> {
    const subscription = await this.subscriptions.findLive(subscriptionId);
    if (!subscription) return; // unsubscribed or logged out since the fan-out
    const outcome = await this.sender.send(
      subscription,
      payload,
      topic,
      await this.vapid.details(),
    );
    switch (outcome.result) {
      case 'sent':
        return;
      case 'gone':
      case 'refused':
        // 404/410: the browser dropped it; refused: it now points at an address we never call.
        await this.subscriptions.remove(subscription.id);
        return;
      case 'rejected':
        throw new PermanentPushError(outcome.reason);
      case 'retry':
        throw new Error(outcome.reason);
    }
  }
}
