import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsDefined,
  IsInt,
  IsOptional,
  IsString,
  Length,
  Matches,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';
import { E2E_LIMITS } from './e2e-limits';

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/** A Curve25519 public key as libsignal serialises it: 33 bytes (a type byte and 32), base64. */
class PublicKeyField {
  @IsString()
  @Length(44, 44)
  @Matches(BASE64, { message: 'keys are base64' })
  publicKey!: string;
}

/** A one-time prekey: used by one session initiator, then deleted from the directory. */
export class PreKeyDto extends PublicKeyField {
  @IsInt()
  @Min(1)
  @Max(E2E_LIMITS.keyIdMax)
  keyId!: number;
}

/** The medium-term prekey, signed by the device's identity key (an XEd25519 signature, 64 bytes). */
export class SignedPreKeyDto extends PreKeyDto {
  @IsString()
  @Length(88, 88)
  @Matches(BASE64, { message: 'signature is base64' })
  signature!: string;
}

/** `POST /api/keys/devices`: a browser's public keys on first use (its private keys never leave it). */
export class RegisterDeviceDto {
  /** libsignal's registration id (14 bits). */
  @IsInt()
  @Min(1)
  @Max(16380)
  registrationId!: number;

  @IsString()
  @Length(44, 44)
  @Matches(BASE64, { message: 'identityKey is base64' })
  identityKey!: string;

  @IsDefined()
  @ValidateNested()
  @Type(() => SignedPreKeyDto)
  signedPreKey!: SignedPreKeyDto;

  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(E2E_LIMITS.preKeysPerRequestMax)
  @ValidateNested({ each: true })
  @Type(() => PreKeyDto)
  preKeys!: PreKeyDto[];
}

/** `POST /api/keys/devices/:deviceId/prekeys`: tops up the one-time prekeys when they run low. */
export class UploadPreKeysDto {
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(E2E_LIMITS.preKeysPerRequestMax)
  @ValidateNested({ each: true })
  @Type(() => PreKeyDto)
  preKeys!: PreKeyDto[];
}

/** `POST /api/keys/users/:userId/bundles`: which of that user's devices to start sessions with. */
export class ClaimBundlesDto {
  /** Absent: every device of the user. */
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(E2E_LIMITS.devicesPerUserMax)
  @IsInt({ each: true })
  @Min(1, { each: true })
  deviceIds?: number[];
}
