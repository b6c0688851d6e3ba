import { IsString, Length, MaxLength, MinLength, ValidateIf } from 'class-validator';
import { DEFAULT_LIMITS } from '../common/limits';

/** Log in by `email` or by `username` (one of them is required). */
export class LoginDto {
  @ValidateIf((o: LoginDto) => o.username === undefined)
  @IsString()
  @MinLength(1)
  @MaxLength(254)
  email?: string;

  @ValidateIf((o: LoginDto) => o.email === undefined)
  @IsString()
  @MinLength(1)
  @MaxLength(254)
  username?: string;

  @IsString()
  @Length(1, DEFAULT_LIMITS.passwordMax)
  password!: string;
}
