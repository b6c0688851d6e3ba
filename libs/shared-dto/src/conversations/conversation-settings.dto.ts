import { IsISO8601, ValidateIf } from 'class-validator';

/** `PATCH /api/conversations/:id/settings`: the caller's own settings of one conversation. */
export class UpdateConversationSettingsDto {
  /**
   * Muted until this instant (no pushes except mentions); `null` unmutes. Clients mute "forever"
   * with a date no one reaches (the web client sends 9999-12-31T23:59:59.999Z).
   */
  @ValidateIf((_o, v) => v !== null)
  @IsISO8601({ strict: true, strictSeparator: true })
  mutedUntil!: string | null;
}
