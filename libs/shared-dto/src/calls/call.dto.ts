import { Type } from 'class-transformer';
import {
  IsIn,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateNested,
} from 'class-validator';

export type CallMedia = 'audio' | 'video';
export const CALL_MEDIA: CallMedia[] = ['audio', 'video'];

/** Why a call ended, as `call:ended` tells it. */
export type CallEndReason = 'hangup' | 'declined' | 'missed' | 'answered-elsewhere' | 'busy';

/** What the `type: 'call'` message says of a call that ended. */
export type CallOutcome = 'completed' | 'missed' | 'declined';

/**
 * Bounds on signalling payloads. A real offer with every candidate gathered is a few KB; the
 * caps stop the socket being used as a relay for anything else.
 */
export const CALL_LIMITS = { sdpMax: 32 * 1024, candidateMax: 2048 } as const;

/** `RTCIceCandidateInit`, bounded. */
export class IceCandidateDto {
  @IsString()
  @MaxLength(CALL_LIMITS.candidateMax)
  candidate!: string;

  @IsOptional()
  @IsString()
  @MaxLength(64)
  sdpMid?: string | null;

  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(64)
  sdpMLineIndex?: number | null;

  @IsOptional()
  @IsString()
  @MaxLength(256)
  usernameFragment?: string | null;
}

export class CallInviteDto {
  @IsUUID()
  conversationId!: string;

  /** Chosen by the caller, so that ICE and a hang-up can name the call before the ack. */
  @IsUUID()
  callId!: string;

  @IsIn(CALL_MEDIA)
  media!: CallMedia;

  @IsString()
  @MinLength(1)
  @MaxLength(CALL_LIMITS.sdpMax)
  sdp!: string;
}

export class CallAnswerDto {
  @IsUUID()
  callId!: string;

  @IsString()
  @MinLength(1)
  @MaxLength(CALL_LIMITS.sdpMax)
  sdp!: string;
}

export class CallIceDto {
  @IsUUID()
  callId!: string;

  @IsObject()
  @ValidateNested()
  @Type(() => IceCandidateDto)
  candidate!: IceCandidateDto;
}

export class CallRefDto {
  @IsUUID()
  callId!: string;
}

/** `call:incoming`: rings on every device of the callee. */
export interface CallIncomingEvent {
  callId: string;
  conversationId: string;
  callerId: string;
  media: CallMedia;
  sdp: string;
}

/** `call:answered`: to the caller's device only. */
export interface CallAnsweredEvent {
  callId: string;
  sdp: string;
}

/** `call:ice`: to the other device of the call only. */
export interface CallIceEvent {
  callId: string;
  candidate: IceCandidateDto;
}

export interface CallEndedEvent {
  callId: string;
  reason: CallEndReason;
}

/** `message.call` on a `type: 'call'` message. */
export interface CallSummary {
  callId: string;
  media: CallMedia;
  outcome: CallOutcome;
  /** From answer to hang-up; 0 when never answered. */
  durationMs: number;
}

/** `GET /api/calls/ice-servers`: what `new RTCPeerConnection({ iceServers })` takes. */
export interface IceServersView {
  iceServers: { urls: string[]; username?: string; credential?: string }[];
}
