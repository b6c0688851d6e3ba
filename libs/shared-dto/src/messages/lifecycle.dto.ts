import { IsString, IsUUID, MaxLength } from 'class-validator';
import { IsSingleEmoji } from './emoji';

/** The body of `PATCH /api/conversations/:id/messages/:messageId`. */
export class EditMessageBody {
  @IsString()
  @MaxLength(65536)
  content!: string;
}

/** `message:edit` */
export class EditMessageDto extends EditMessageBody {
  @IsUUID()
  conversationId!: string;

  @IsUUID()
  messageId!: string;
}

/** `message:delete` */
export class MessageRefDto {
  @IsUUID()
  conversationId!: string;

  @IsUUID()
  messageId!: string;
}

/** `reaction:add` / `reaction:remove` */
export class ReactionDto extends MessageRefDto {
  @IsString()
  @IsSingleEmoji()
  emoji!: string;
}
