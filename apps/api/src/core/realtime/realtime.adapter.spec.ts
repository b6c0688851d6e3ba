import { E2E_LIMITS } from '@chat/shared-dto';
import { maxFrameBytes } from './realtime.adapter';

describe('maxFrameBytes', () => {
  it('fits the largest valid send, fully \\u-escaped, twice over', () => {
    expect(maxFrameBytes(4000)).toBeGreaterThan(2 * (4000 * 6 + 4096));
    expect(maxFrameBytes(400_000)).toBe(2 * (400_000 * 6 + 4096));
  });

  it('fits the largest end-to-end encrypted send: every envelope at its largest', () => {
    const envelopes = E2E_LIMITS.envelopesMax * E2E_LIMITS.envelopeBodyMax;
    expect(maxFrameBytes(4000)).toBeGreaterThan(envelopes + 32 * 1024);
    expect(maxFrameBytes(4000)).toBeLessThan(2 * 1024 * 1024);
  });
});
