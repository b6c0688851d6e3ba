import { BadRequestException } from '@nestjs/common';
import { WAVEFORM_BARS } from '@chat/shared-dto';

/**
 * The `waveform` field of a voice upload: a JSON array of `WAVEFORM_BARS` levels in 0..1, as
 * the recording client measured them (the server cannot decode every codec to measure it
 * itself). Kept to three decimals: the bars are drawn a few pixels high.
 */
export function parseWaveform(raw: string | undefined): number[] | undefined {
  if (raw === undefined) return undefined;
  let levels: unknown = null;
  try {
    levels = JSON.parse(raw);
  } catch {
    // Reported below, with what a valid value looks like.
  }
  const valid =
    Array.isArray(levels) &&
    levels.length === WAVEFORM_BARS &&
    levels.every((level) => typeof level === 'number' && level >= 0 && level <= 1);
  if (!valid) {
    throw new BadRequestException(
      `waveform must be a JSON array of ${WAVEFORM_BARS} numbers between 0 and 1`,
    );
  }
  return (levels as number[]).map((level) => Math.round(level * 1000) / 1000);
}
