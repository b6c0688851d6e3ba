import type { ReceiptEvent } from '@chat/shared-dto';
import type { ReceiptKind } from './receipts.repository';

/** A member's delivered or read watermark moved forward (after commit). */
export const RECEIPT_MOVED = 'receipt.moved';

export interface ReceiptMovedEvent {
  kind: ReceiptKind;
  /** Seen by the conversation's other members (its room, except the reader's devices). */
  receipt: ReceiptEvent;
}

declare module '../core/events/domain-events' {
  interface DomainEventMap {
    [RECEIPT_MOVED]: ReceiptMovedEvent;
  }
}
