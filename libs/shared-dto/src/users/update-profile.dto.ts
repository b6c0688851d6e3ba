import { IsOptional, IsString, IsUrl, MaxLength, ValidateIf } from 'class-validator';
import { DEFAULT_LIMITS } from '../common/limits';
import { IsVisibleName, NormalisedName } from '../common/visible-text';

/** `PATCH /api/users/me`; `null` clears a field. */
export class UpdateProfileDto {
  @IsOptional()
  @ValidateIf((_o, v) => v !== null)
  @NormalisedName()
  @IsString()
  @MaxLength(DEFAULT_LIMITS.displayNameMax)
  @IsVisibleName()
  displayName?: string | null;

  @IsOptional()
  @ValidateIf((_o, v) => v !== null)
  @IsString()
  @MaxLength(2048)
  @IsUrl({ protocols: ['http', 'https'], require_protocol: true, require_tld: false })
  avatarUrl?: string | null;

  @IsOptional()
  @ValidateIf((_o, v) => v !== null)
  @IsString()
  @MaxLength(DEFAULT_LIMITS.statusMessageMax)
  statusMessage?: string | null;
}
