/**
 * @jest-environment node
 */
import { webcrypto } from 'node:crypto';
import { FingerprintGenerator } from '@privacyresearch/libsignal-protocol-typescript';
import { computeSafetyNumber, identityBytes, safetyNumberGroups } from './safety-number';

/** A libsignal-shaped public key (type byte 5 and 32 bytes), base64. */
function key(seed: number): string {
  const bytes = [5, ...Array.from({ length: 32 }, (_, i) => (seed * 31 + i * 7) % 256)];
  return btoa(String.fromCharCode(...bytes));
}

const ana = 'a1111111-1111-4111-8111-111111111111';
const bob = 'b2222222-2222-4222-8222-222222222222';
const anaDevices = [
  { deviceId: 2, identityKey: key(2) },
  { deviceId: 1, identityKey: key(1) },
];
const bobDevices = [{ deviceId: 1, identityKey: key(9) }];

describe('safety numbers', () => {
  jest.setTimeout(30_000);

  beforeAll(() => {
    if (!globalThis.crypto?.subtle)
      Object.defineProperty(globalThis, 'crypto', { value: webcrypto, configurable: true });
  });

  it('joins the identity keys of all of a user’s devices in device order', () => {
    const bytes = new Uint8Array(identityBytes(anaDevices));
    expect(bytes).toHaveLength(66);
    expect(btoa(String.fromCharCode(...bytes.slice(0, 33)))).toBe(key(1));
    expect(btoa(String.fromCharCode(...bytes.slice(33)))).toBe(key(2));
  });

  it('is libsignal’s FingerprintGenerator(5200), digit for digit', async () => {
    const ours = await computeSafetyNumber(ana, anaDevices, bob, bobDevices);
    const library = await new FingerprintGenerator(5200).createFor(
      ana,
      identityBytes(anaDevices),
      bob,
      identityBytes(bobDevices),
    );
    expect(ours).toBe(library);
  });

  it('is 60 digits and the same from both sides', async () => {
    const fromAna = await computeSafetyNumber(ana, anaDevices, bob, bobDevices);
    const fromBob = await computeSafetyNumber(bob, bobDevices, ana, [...anaDevices].reverse());
    expect(fromAna).toMatch(/^\d{60}$/);
    expect(fromBob).toBe(fromAna);
  });

  it('changes when either user has a different key or another device', async () => {
    const before = await computeSafetyNumber(ana, anaDevices, bob, bobDevices);
    const rekeyed = await computeSafetyNumber(ana, anaDevices, bob, [
      { deviceId: 1, identityKey: key(10) },
    ]);
    const fewerDevices = await computeSafetyNumber(ana, [anaDevices[1]], bob, bobDevices);
    expect(rekeyed).not.toBe(before);
    expect(fewerDevices).not.toBe(before);
  });

  it('reads out as 12 groups of 5 digits', () => {
    const groups = safetyNumberGroups('0123456789'.repeat(6));
    expect(groups).toHaveLength(12);
    expect(groups[0]).toBe('01234');
    expect(groups[1]).toBe('56789');
  });
});
