import { Injectable } from '@nestjs/common';
import { OnDomainEvent } from '../core/events/domain-events';
import { MetricsService } from '../core/metrics/metrics.service';
import { Broadcaster } from '../core/realtime/broadcaster';
import {
  MESSAGE_CREATED,
  MESSAGE_UPDATED,
  MessageCreatedEvent,
  MessageUpdatedEvent,
} from './message.events';

/**
 * New and changed messages to every member's every device (the sender's other devices too), on
 * whichever instance they are connected: one broadcast to the conversation's room, whatever
 * its size. And the send counters.
 */
@Injectable()
export class MessagesFanout {
  constructor(
    private readonly broadcaster: Broadcaster,
    private readonly metrics: MetricsService,
  ) {}

  @OnDomainEvent(MESSAGE_CREATED)
  created(event: MessageCreatedEvent): void {
    this.broadcaster.toConversation(event.message.conversationId, 'message:new', event.message, {
      socketId: event.originSocketId,
    });
    this.metrics.messagesStored.inc();
    if (event.receivedAt !== undefined)
      this.metrics.sendToDeliver.observe((performance.now() - event.receivedAt) / 1000);
  }

  @OnDomainEvent(MESSAGE_UPDATED)
  updated(event: MessageUpdatedEvent): void {
    this.broadcaster.toConversation(event.message.conversationId, 'message:updated', event.message);
  }
}
