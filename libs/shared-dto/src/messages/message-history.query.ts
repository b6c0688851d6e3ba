import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { DEFAULT_LIMITS } from '../common/limits';

/** `GET /api/conversations/:id/messages?limit=&before=&after=&around=&changedSince=` */
export class MessageHistoryQuery {
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(DEFAULT_LIMITS.historyPageMax)
  limit?: number;

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  before?: number;

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  after?: number;

  /** The page centred on this seq (a search result, a reply's original), ascending. */
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  around?: number;

  /** Every message whose `rev` is greater, in ascending `rev`: what changed while away. */
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  changedSince?: number;
}
