import { Type } from 'class-transformer';
import {
  IsDefined,
  IsOptional,
  IsString,
  IsUUID,
  MaxLength,
  ValidateNested,
} from 'class-validator';
import { EncryptedPayloadDto } from './encrypted.dto';
import { IsSingleEmoji } from './emoji';

/** The body of `PATCH /api/conversations/:id/messages/:messageId`. */
export class EditMessageBody {
  /** Absent in an end-to-end encrypted conversation, which sends `encrypted` instead. */
  @IsOptional()
  @IsString()
  @MaxLength(65536)
  content?: string;

  @IsOptional()
  @ValidateNested()
  @Type(() => EncryptedPayloadDto)
  encrypted?: EncryptedPayloadDto;
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

/** `PUT /api/conversations/:id/messages/:messageId/reactions` in an encrypted conversation. */
export class EncryptedReactionBody {
  /** Envelopes of an `EncryptedReactionContent`: all the caller's emojis on the message. */
  @IsDefined()
  @ValidateNested()
  @Type(() => EncryptedPayloadDto)
  encrypted!: EncryptedPayloadDto;
}

/** `reaction:set-encrypted` */
export class EncryptedReactionDto extends EncryptedReactionBody {
  @IsUUID()
  conversationId!: string;

  @IsUUID()
  messageId!: string;
}
