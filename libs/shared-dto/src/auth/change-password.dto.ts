import { IsString, Length } from 'class-validator';
import { DEFAULT_LIMITS } from '../common/limits';

/** `POST /api/auth/password`: revokes every other session of the caller. */
export class ChangePasswordDto {
  @IsString()
  @Length(1, DEFAULT_LIMITS.passwordMax)
  currentPassword!: string;

  @IsString()
  @Length(DEFAULT_LIMITS.passwordMin, DEFAULT_LIMITS.passwordMax)
  newPassword!: string;
}
