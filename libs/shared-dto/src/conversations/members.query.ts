import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsUUID, Max, Min } from 'class-validator';
import { DEFAULT_LIMITS } from '../common/limits';

/** `GET /api/conversations/:id/members?limit=&after=`: members in ascending user id. */
export class MembersQuery {
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(DEFAULT_LIMITS.membersPageMax)
  limit?: number;

  /** The `next` of the previous page: the last user id it had. */
  @IsOptional()
  @IsUUID()
  after?: string;
}
