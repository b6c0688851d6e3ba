import { IsUUID } from 'class-validator';

/** `message:delivered` / `message:read`: marks everything up to `messageId`. */
export class ReceiptDto {
  @IsUUID()
  conversationId!: string;

  @IsUUID()
  messageId!: string;
}

export interface ReceiptEvent {
  conversationId: string;
  messageId: string;
  seq: number;
  userId: string;
  at: string;
}
