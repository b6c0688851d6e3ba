import { Injectable } from '@nestjs/common';
import { OnDomainEvent } from '../core/events/domain-events';
import { Broadcaster } from '../core/realtime/broadcaster';
import { RECEIPT_MOVED, ReceiptMovedEvent } from './receipt.events';

/** Delivered and read ticks to the other members' devices. */
@Injectable()
export class ReceiptsFanout {
  constructor(private readonly broadcaster: Broadcaster) {}

  @OnDomainEvent(RECEIPT_MOVED)
  moved(event: ReceiptMovedEvent): void {
    const name = event.kind === 'read' ? 'message:read' : 'message:delivered';
    this.broadcaster.toConversation(event.receipt.conversationId, name, event.receipt, {
      userIds: [event.receipt.userId],
    });
  }
}
