import { IsEmail, IsString, Length, Matches, MaxLength } from 'class-validator';
import { DEFAULT_LIMITS, USERNAME_PATTERN } from '../common/limits';
import { IsVisibleName, NormalisedName } from '../common/visible-text';

export class RegisterDto {
  @NormalisedName()
  @IsString()
  @IsVisibleName()
  @Length(DEFAULT_LIMITS.usernameMin, DEFAULT_LIMITS.usernameMax)
  @Matches(USERNAME_PATTERN, {
    message: 'username may contain only letters, digits, "_", "." and "-"',
  })
  username!: string;

  @IsString()
  @MaxLength(254)
  @IsEmail()
  email!: string;

  @IsString()
  @Length(DEFAULT_LIMITS.passwordMin, DEFAULT_LIMITS.passwordMax)
  password!: string;
}
