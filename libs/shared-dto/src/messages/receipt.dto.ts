import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsUUID, Max, Min } from 'class-validator';
import { DEFAULT_LIMITS } from '../common/limits';

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

/** `GET /api/conversations/:id/messages/:messageId/receipts?limit=` */
export class ReceiptsQuery {
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(DEFAULT_LIMITS.receiptsListMax)
  limit?: number;
}
