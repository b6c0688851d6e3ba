import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsInt,
  IsString,
  IsUUID,
  Length,
  Matches,
  Min,
  ValidateNested,
} from 'class-validator';
import { E2E_LIMITS } from '../keys/e2e-limits';

/**
 * libsignal's message types: 3 starts a session (PreKeyWhisperMessage, carries the X3DH keys),
 * 1 continues one (WhisperMessage).
 */
export const ENVELOPE_TYPES = [1, 3] as const;
export type EnvelopeType = (typeof ENVELOPE_TYPES)[number];

/** One device's copy of an encrypted message. */
export class EncryptedEnvelopeDto {
  @IsUUID()
  userId!: string;

  @IsInt()
  @Min(1)
  deviceId!: number;

  @IsIn(ENVELOPE_TYPES)
  type!: EnvelopeType;

  /** base64 of the libsignal ciphertext. */
  @IsString()
  @Length(1, E2E_LIMITS.envelopeBodyMax)
  @Matches(/^[A-Za-z0-9+/]+={0,2}$/, { message: 'envelope bodies are base64' })
  body!: string;
}

/**
 * What replaces `content` in an end-to-end encrypted conversation: the sender's device and one
 * envelope for every other device of both members (else CONFLICT: fetch the devices again).
 */
export class EncryptedPayloadDto {
  @IsInt()
  @Min(1)
  senderDeviceId!: number;

  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(E2E_LIMITS.envelopesMax)
  @ValidateNested({ each: true })
  @Type(() => EncryptedEnvelopeDto)
  envelopes!: EncryptedEnvelopeDto[];
}

export type EncryptedEnvelope = Pick<EncryptedEnvelopeDto, 'userId' | 'deviceId' | 'type' | 'body'>;

export interface EncryptedPayload {
  senderDeviceId: number;
  envelopes: EncryptedEnvelope[];
}

/**
 * The plaintext inside every envelope of a message (JSON, UTF-8). Only clients read it; it is
 * here so that every client writes the same shape.
 */
export interface EncryptedMessageContent {
  v: 1;
  text: string;
  /** A file encrypted on the client with AES-256-GCM; the server holds only its ciphertext. */
  attachment?: EncryptedAttachmentContent;
}

export interface EncryptedAttachmentContent {
  /** The `url` `POST /api/upload?encrypted=true` returned for the ciphertext. */
  url: string;
  kind: 'image' | 'file' | 'voice';
  name: string;
  mimeType: string;
  /** Of the plaintext file. */
  size: number;
  /** base64 of the raw 32-byte AES-GCM key and of the 12-byte IV. */
  key: string;
  iv: string;
  width?: number;
  height?: number;
  durationMs?: number;
  waveform?: number[];
}

/** The plaintext of one member's encrypted reactions to a message: every emoji they put on it. */
export interface EncryptedReactionContent {
  v: 1;
  emojis: string[];
}

/** One member's reactions to a message of an encrypted conversation, as the server keeps them. */
export interface EncryptedReactionView {
  userId: string;
  encrypted: EncryptedPayload;
  updatedAt: string;
}
