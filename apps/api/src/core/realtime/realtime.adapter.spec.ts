import { maxFrameBytes } from './realtime.adapter';

describe('maxFrameBytes', () => {
  it('fits the largest valid send, fully \\u-escaped, twice over, and never less than 128 KiB', () => {
    expect(maxFrameBytes(4000)).toBe(128 * 1024);
    expect(maxFrameBytes(4000)).toBeGreaterThan(100 * 1024 + 200);
    expect(maxFrameBytes(20_000)).toBe(2 * (20_000 * 6 + 4096));
  });
});
