// shared-dto's validator classes need the decorator metadata polyfill the API loads at boot.
import 'reflect-metadata';
import { WAVEFORM_BARS as CONTRACT_BARS } from '@chat/shared-dto';
import { clockDuration } from '../shared/format';
import { WAVEFORM_BARS, barsFromSamples, meterLevel, resample } from './voice-waveform';

const inRange = (levels: number[]) => levels.every((level) => level >= 0 && level <= 1);

/** One second at 8 kHz: silence, then a 440 Hz sine burst in the second half. */
function silenceThenTone(): Float32Array {
  const rate = 8000;
  const samples = new Float32Array(rate);
  for (let i = rate / 2; i < rate; i++) samples[i] = 0.6 * Math.sin((2 * Math.PI * 440 * i) / rate);
  return samples;
}

describe('voice waveform', () => {
  it('keeps the local bar count in step with the contract', () => {
    expect(WAVEFORM_BARS).toBe(CONTRACT_BARS);
  });

  describe('barsFromSamples', () => {
    it('puts a sine burst in the second half into the second half of the bars', () => {
      const bars = barsFromSamples(silenceThenTone());
      expect(bars).toHaveLength(64);
      expect(inRange(bars)).toBe(true);
      expect(bars.slice(0, 32).every((level) => level === 0)).toBe(true);
      expect(bars.slice(32).every((level) => level > 0.9)).toBe(true);
    });

    it('normalises so the loudest bar is 1, and rounds to 3 decimals', () => {
      const samples = new Float32Array(64 * 10);
      samples.fill(0.1, 0, 320);
      samples.fill(0.3, 320);
      const bars = barsFromSamples(samples);
      expect(Math.max(...bars)).toBe(1);
      expect(bars[0]).toBe(0.333);
      expect(bars[63]).toBe(1);
      expect(bars.every((level) => Math.round(level * 1000) === level * 1000)).toBe(true);
    });

    it('leaves silence all zeros and gives exactly the bars asked for', () => {
      expect(barsFromSamples(new Float32Array(1000))).toEqual(new Array(64).fill(0));
      expect(barsFromSamples(new Float32Array(0))).toEqual(new Array(64).fill(0));
      expect(barsFromSamples(new Float32Array(100).fill(0.5), 16)).toHaveLength(16);
    });

    it('fills every bar from fewer samples than bars', () => {
      const bars = barsFromSamples(Float32Array.from([0.5, -1, 0.25]));
      expect(bars).toHaveLength(64);
      expect(bars[0]).toBe(0.5);
      expect(bars[63]).toBe(0.25);
      expect(bars).toContain(1);
    });
  });

  describe('resample', () => {
    it('averages many live readings down to 64 normalised bars', () => {
      const levels = Array.from({ length: 640 }, (_, i) => (i < 320 ? 0.1 : 0.4));
      const bars = resample(levels);
      expect(bars).toHaveLength(64);
      expect(bars[0]).toBe(0.25);
      expect(bars[63]).toBe(1);
      expect(inRange(bars)).toBe(true);
    });

    it('stretches a few readings over all 64 bars', () => {
      const bars = resample([0.2, 0.8]);
      expect(bars).toHaveLength(64);
      expect(bars.slice(0, 32).every((level) => level === 0.25)).toBe(true);
      expect(bars.slice(32).every((level) => level === 1)).toBe(true);
    });

    it('gives zeros for no readings or silence, and treats junk as silence', () => {
      expect(resample([])).toEqual(new Array(64).fill(0));
      expect(resample([0, 0, 0])).toEqual(new Array(64).fill(0));
      const bars = resample([Number.NaN, -1, 0.5, Infinity]);
      expect(inRange(bars)).toBe(true);
      expect(Math.max(...bars)).toBe(1);
    });
  });

  it('formats a clock as m:ss', () => {
    expect(clockDuration(3_400)).toBe('0:03');
    expect(clockDuration(65_000)).toBe('1:05');
    expect(clockDuration(720_000)).toBe('12:00');
    expect(clockDuration(0)).toBe('0:00');
    expect(clockDuration(-5)).toBe('0:00');
    expect(clockDuration(Infinity)).toBe('0:00');
  });

  it('reads a live meter level on a decibel scale', () => {
    expect(meterLevel(new Float32Array(256))).toBe(0);
    expect(meterLevel(new Float32Array(0))).toBe(0);
    expect(meterLevel(new Float32Array(256).fill(1))).toBe(1);
    // -30 dBFS is half way between the -60 dB floor and full scale.
    expect(meterLevel(new Float32Array(256).fill(10 ** (-30 / 20)))).toBeCloseTo(0.5, 5);
    expect(meterLevel(new Float32Array(256).fill(1e-5))).toBe(0);
  });
});
