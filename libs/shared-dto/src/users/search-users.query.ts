import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min, MinLength } from 'class-validator';
import { DEFAULT_LIMITS } from '../common/limits';

/** `GET /api/users/search?query=&limit=` */
export class SearchUsersQuery {
  @IsString()
  @MinLength(1)
  @MaxLength(64)
  query!: string;

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(DEFAULT_LIMITS.searchLimitMax)
  limit?: number;
}
