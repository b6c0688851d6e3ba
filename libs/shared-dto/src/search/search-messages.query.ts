import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, IsUUID, Length, Max, Matches, Min } from 'class-validator';
import type { MessageView } from '../messages/message.view';

export const SEARCH_QUERY_MAX = 200;

/** `GET /api/search/messages?query=&conversationId=&limit=&before=` */
export class SearchMessagesQuery {
  @IsString()
  @Length(1, SEARCH_QUERY_MAX)
  @Matches(/\S/, { message: 'query must not be blank' })
  query!: string;

  @IsOptional()
  @IsUUID()
  conversationId?: string;

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(50)
  limit?: number;

  /** The `next` cursor of the previous page. */
  @IsOptional()
  @IsString()
  @Length(1, 200)
  before?: string;
}

export interface SearchResultView {
  message: MessageView;
  /** An excerpt with the matched words as `<mark>...</mark>`; everything else HTML-escaped. */
  snippet: string;
}

export interface SearchMessagesResponse {
  results: SearchResultView[];
  /** Pass as `before` for the next (older) page; absent on the last page. */
  next?: string;
}
