import { IsString, Length } from 'class-validator';
import { DEFAULT_LIMITS } from '../common/limits';

/** `DELETE /api/users/me`: the current password confirms that the owner is asking. */
export class DeleteAccountDto {
  @IsString()
  @Length(1, DEFAULT_LIMITS.passwordMax)
  password!: string;
}
