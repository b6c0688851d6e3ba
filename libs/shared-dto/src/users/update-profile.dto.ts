import { IsIn, IsOptional, IsString, Matches, MaxLength, ValidateIf } from 'class-validator';
import { DEFAULT_LIMITS } from '../common/limits';
import { IsVisibleName, NormalisedName } from '../common/visible-text';
import { AVATAR_URL_PATTERN } from './avatar-url';
import { DIRECT_MESSAGE_POLICIES, type DirectMessagePolicy } from './user.view';

/** `PATCH /api/users/me`; `null` clears a field. A new avatar comes from `POST /api/users/me/avatar`. */
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
  // Only an avatar this server made (POST /api/users/me/avatar): any other URL would be loaded
  // by every viewer's browser, a tracking pixel for whoever controls it.
  @Matches(AVATAR_URL_PATTERN, {
    message: 'avatarUrl must be an avatar URL returned by POST /api/users/me/avatar, or null',
  })
  avatarUrl?: string | null;

  @IsOptional()
  @ValidateIf((_o, v) => v !== null)
  @IsString()
  @MaxLength(DEFAULT_LIMITS.statusMessageMax)
  statusMessage?: string | null;

  /** Who may start a direct conversation with me: anyone, or only people I share a group with. */
  @IsOptional()
  @IsIn(DIRECT_MESSAGE_POLICIES)
  directMessages?: DirectMessagePolicy;
}
