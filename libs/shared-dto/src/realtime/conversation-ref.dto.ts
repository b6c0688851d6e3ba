import { IsUUID } from 'class-validator';

/** `typing:start`, `typing:stop`, `conversation:join`. */
export class ConversationRefDto {
  @IsUUID()
  conversationId!: string;
}
