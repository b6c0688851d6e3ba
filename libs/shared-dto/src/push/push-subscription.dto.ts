import { Type } from 'class-transformer';
import { IsDefined, IsString, Length, Matches, MaxLength, ValidateNested } from 'class-validator';

const BASE64URL = /^[A-Za-z0-9_-]+={0,2}$/;

/** The keys of a browser's `PushSubscription.toJSON()`, base64url. */
export class PushSubscriptionKeysDto {
  /** The browser's P-256 public key (65 bytes uncompressed: 87 characters, 88 padded). */
  @IsString()
  @Length(86, 90)
  @Matches(BASE64URL, { message: 'keys.p256dh must be base64url' })
  p256dh!: string;

  /** The 16-byte authentication secret (22 characters, 24 padded). */
  @IsString()
  @Length(20, 26)
  @Matches(BASE64URL, { message: 'keys.auth must be base64url' })
  auth!: string;
}

/** `POST /api/push/subscriptions`: what `PushSubscription.toJSON()` gives, minus `expirationTime`. */
export class PushSubscriptionDto {
  /** An https URL of the browser's push service; the server checks it resolves to a public address. */
  @IsString()
  @MaxLength(2048)
  endpoint!: string;

  @IsDefined()
  @ValidateNested()
  @Type(() => PushSubscriptionKeysDto)
  keys!: PushSubscriptionKeysDto;
}

/** `DELETE /api/push/subscriptions`. */
export class PushUnsubscribeDto {
  @IsString()
  @MaxLength(2048)
  endpoint!: string;
}
