import type { DeviceKeysView } from '@chat/shared-dto';

/** libsignal's work factor for the displayable fingerprint (`new FingerprintGenerator(5200)`). */
export const SAFETY_NUMBER_ITERATIONS = 5200;
/** `FingerprintGenerator.VERSION` */
const FINGERPRINT_VERSION = 0;

type DeviceKey = Pick<DeviceKeysView, 'deviceId' | 'identityKey'>;

function base64ToBytes(base64: string): Uint8Array {
  const binary = atob(base64);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

function concat(...parts: readonly Uint8Array[]): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

/**
 * One user's side of a safety number: the raw identity keys of all their devices, by device id,
 * end to end. Adding a device or reinstalling (a new key) changes it.
 */
export function identityBytes(devices: readonly DeviceKey[]): ArrayBuffer {
  const keys = [...devices]
    .sort((a, b) => a.deviceId - b.deviceId)
    .map((device) => base64ToBytes(device.identityKey));
  return concat(...keys).buffer;
}

/** A user id as libsignal reads an identifier: one byte per character. */
function identifierBytes(identifier: string): Uint8Array {
  const bytes = new Uint8Array(identifier.length);
  for (let i = 0; i < identifier.length; i++) {
    const code = identifier.charCodeAt(i);
    if (code > 0xff) throw new RangeError(`illegal char code: ${code}`);
    bytes[i] = code;
  }
  return bytes;
}

/** Five bytes of the hash as five decimal digits (libsignal's `getEncodedChunk`). */
function chunk(hash: Uint8Array, offset: number): string {
  const value =
    (hash[offset] * 2 ** 32 +
      hash[offset + 1] * 2 ** 24 +
      hash[offset + 2] * 2 ** 16 +
      hash[offset + 3] * 2 ** 8 +
      hash[offset + 4]) %
    100000;
  return value.toString().padStart(5, '0');
}

/** One side's 30 digits: SHA-512 over (version, key, id), then `iterations` times over (hash, key). */
async function displayStringFor(
  subtle: SubtleCrypto,
  identifier: string,
  key: Uint8Array,
  iterations: number,
): Promise<string> {
  const version = new Uint8Array(new Uint16Array([FINGERPRINT_VERSION]).buffer);
  let hash = concat(version, key, identifierBytes(identifier));
  for (let i = 0; i < iterations; i++) {
    hash = new Uint8Array(await subtle.digest('SHA-512', concat(hash, key)));
  }
  return [0, 5, 10, 15, 20, 25].map((offset) => chunk(hash, offset)).join('');
}

/**
 * The 60-digit safety number of two users, the same whichever of them computes it: libsignal's
 * `new FingerprintGenerator(5200).createFor(myId, myKey, peerId, peerKey)`, digit for digit (the
 * spec checks it against the library). It runs on the browser's native SHA-512: the library's own
 * pure-JS digest yields to a `setTimeout` after every one of its 10,400 hashes, which browsers
 * clamp to 4 ms (about 45 s per number). Without WebCrypto (an insecure origin) it fails, as
 * end-to-end encryption itself does there.
 */
export async function computeSafetyNumber(
  myUserId: string,
  myDevices: readonly DeviceKey[],
  peerUserId: string,
  peerDevices: readonly DeviceKey[],
  iterations = SAFETY_NUMBER_ITERATIONS,
): Promise<string> {
  const mine = identityBytes(myDevices);
  const theirs = identityBytes(peerDevices);
  const subtle = globalThis.crypto?.subtle;
  if (!subtle) throw new Error('This browser cannot compute safety numbers here (no WebCrypto).');
  const local = await displayStringFor(subtle, myUserId, new Uint8Array(mine), iterations);
  const remote = await displayStringFor(subtle, peerUserId, new Uint8Array(theirs), iterations);
  return [local, remote].sort().join('');
}

/** "12345 67890 …": 12 groups of 5 digits, as both people read them out. */
export function safetyNumberGroups(safetyNumber: string): string[] {
  const groups: string[] = [];
  for (let i = 0; i < safetyNumber.length; i += 5) groups.push(safetyNumber.slice(i, i + 5));
  return groups;
}
