import { Type } from 'class-transformer';
import {
  IsIn,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Matches,
  MaxLength,
  ValidateNested,
} from 'class-validator';
import { DEFAULT_LIMITS } from '../common/limits';
import { EncryptedPayloadDto } from './encrypted.dto';
import type { MessageType } from './message.view';

/** What a client may send; `call` messages are written by the server when a call ends. */
const MESSAGE_TYPES = ['text', 'image', 'file', 'voice'] as const satisfies readonly MessageType[];

/**
 * The body of `POST /api/conversations/:id/messages`. Content length after trimming is checked
 * by the API against `MAX_MESSAGE_LENGTH`; the bound here only stops absurd payloads early.
 */
export class SendMessageBody {
  @IsString()
  @Length(1, DEFAULT_LIMITS.clientIdMax)
  @Matches(/^[A-Za-z0-9_:.-]+$/, {
    message: 'clientId may contain only letters, digits, "_", ":", "." and "-"',
  })
  clientId!: string;

  @IsOptional()
  @IsString()
  @MaxLength(65536)
  content?: string;

  @IsOptional()
  @IsIn(MESSAGE_TYPES)
  type?: (typeof MESSAGE_TYPES)[number];

  @IsOptional()
  @IsString()
  @MaxLength(512)
  fileUrl?: string;

  /** The message this one answers: one of the same conversation. */
  @IsOptional()
  @IsUUID()
  replyToId?: string;

  /** In an end-to-end encrypted conversation, instead of `content`. */
  @IsOptional()
  @ValidateNested()
  @Type(() => EncryptedPayloadDto)
  encrypted?: EncryptedPayloadDto;
}

/** The payload of the `message:send` socket event. */
export class SendMessageDto extends SendMessageBody {
  @IsUUID()
  conversationId!: string;
}
