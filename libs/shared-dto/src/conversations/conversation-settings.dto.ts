import { IsISO8601, ValidateIf } from 'class-validator';

/** "Muted forever": a date no one reaches; the wire stays `mutedUntil: ISO | null`. */
export const MUTE_FOREVER = '9999-12-31T23:59:59.999Z';

/** `PATCH /api/conversations/:id/settings`: the caller's own settings of one conversation. */
export class UpdateConversationSettingsDto {
  /** Muted until this instant (no pushes except mentions); `null` unmutes. */
  @ValidateIf((_o, v) => v !== null)
  @IsISO8601({ strict: true, strictSeparator: true })
  mutedUntil!: string | null;
}
