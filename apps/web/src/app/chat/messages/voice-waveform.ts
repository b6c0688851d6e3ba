/**
 * Bars of a voice message's waveform. A copy of `WAVEFORM_BARS` from '@chat/shared-dto': a value
 * import from there would pull class-validator into the web bundle.
 */
export const WAVEFORM_BARS = 64;

/**
 * Scales levels so the loudest is 1 and rounds to 3 decimals (what the server stores). Silence
 * stays all zeros rather than dividing by zero; anything non-finite counts as silence.
 */
function normalise(levels: readonly number[]): number[] {
  const clean = levels.map((level) => (Number.isFinite(level) && level > 0 ? level : 0));
  const max = Math.max(0, ...clean);
  if (max === 0) return clean.map(() => 0);
  return clean.map((level) => Math.round((level / max) * 1000) / 1000);
}

/** Index range of bucket `i` of `bars` over `length` items; never empty while there are items. */
function bucket(i: number, bars: number, length: number): [number, number] {
  const start = Math.min(Math.floor((i * length) / bars), length - 1);
  const end = Math.max(Math.floor(((i + 1) * length) / bars), start + 1);
  return [start, end];
}

/**
 * `bars` levels from decoded PCM: the RMS of each equal slice, so one click does not outweigh a
 * spoken word the way a peak would.
 */
export function barsFromSamples(samples: Float32Array, bars = WAVEFORM_BARS): number[] {
  if (!samples.length) return new Array<number>(bars).fill(0);
  const levels = Array.from({ length: bars }, (_, i) => {
    const [start, end] = bucket(i, bars, samples.length);
    let sum = 0;
    for (let j = start; j < end; j++) sum += samples[j] * samples[j];
    return Math.sqrt(sum / (end - start));
  });
  return normalise(levels);
}

/**
 * `bars` levels from however many live meter readings were taken (one per tick of recording):
 * averaged when there are more, repeated when there are fewer.
 */
export function resample(levels: readonly number[], bars = WAVEFORM_BARS): number[] {
  if (!levels.length) return new Array<number>(bars).fill(0);
  const out = Array.from({ length: bars }, (_, i) => {
    const [start, end] = bucket(i, bars, levels.length);
    let sum = 0;
    for (let j = start; j < end; j++) sum += levels[j];
    return sum / (end - start);
  });
  return normalise(out);
}

/** Quieter than this reads as silence on the live meter. */
const METER_FLOOR_DB = -60;

/**
 * A live meter level in 0..1 from one analyser frame: its RMS in decibels between
 * `METER_FLOOR_DB` and full scale, because on a linear scale speech barely moves the bar.
 */
export function meterLevel(frame: Float32Array): number {
  if (!frame.length) return 0;
  let sum = 0;
  for (const sample of frame) sum += sample * sample;
  const rms = Math.sqrt(sum / frame.length);
  if (rms === 0) return 0;
  const level = (20 * Math.log10(rms) - METER_FLOOR_DB) / -METER_FLOOR_DB;
  return Math.min(1, Math.max(0, level));
}
