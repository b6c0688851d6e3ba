import type { PreKeyDto, RegisterDeviceDto } from '@chat/shared-dto';
import type { KeyPairType } from '@privacyresearch/libsignal-protocol-typescript';
import { bytesToBase64 } from './encoding';
import { E2E_CLIENT_LIMITS } from './limits';
import type { SignalStore } from './signal-store';
import type { Libsignal } from './signal';

/** One-time prekeys generated at registration and at each top-up. */
export const PREKEY_BATCH = E2E_CLIENT_LIMITS.preKeysPerRequestMax;

/**
 * Generates one-time prekeys after the highest id used so far, stores their private halves and
 * returns the public halves for the directory. Ids wrap below the directory's maximum.
 */
export async function generatePreKeys(
  lib: Libsignal,
  store: SignalStore,
  count = PREKEY_BATCH,
): Promise<PreKeyDto[]> {
  const start = await store.lastPreKeyId();
  const generated: { keyId: number; keyPair: KeyPairType }[] = [];
  for (let i = 1; i <= count; i++) {
    const keyId = ((start + i - 1) % E2E_CLIENT_LIMITS.keyIdMax) + 1;
    const preKey = await lib.KeyHelper.generatePreKey(keyId);
    generated.push({ keyId: preKey.keyId, keyPair: preKey.keyPair });
    // Curve25519 runs in JS on the main thread: let the page breathe between keys.
    if (i % 10 === 0) await new Promise((resolve) => setTimeout(resolve, 0));
  }
  await store.addPreKeys(generated);
  return generated.map((key) => ({
    keyId: key.keyId,
    publicKey: bytesToBase64(key.keyPair.pubKey),
  }));
}

/**
 * A new identity for this browser: identity key pair, registration id, a signed prekey and a
 * batch of one-time prekeys, all private halves stored locally (replacing any older identity).
 * Returns what `POST /api/keys/devices` takes.
 */
export async function generateIdentity(
  lib: Libsignal,
  store: SignalStore,
): Promise<RegisterDeviceDto> {
  const identityKeyPair = await lib.KeyHelper.generateIdentityKeyPair();
  // The directory takes 1..16380 (libsignal's range is 14 bits; 0 is not a valid id).
  let registrationId = lib.KeyHelper.generateRegistrationId();
  if (registrationId < 1 || registrationId > 16380) registrationId = (registrationId % 16380) + 1;
  const signedPreKeyId = 1;
  const signedPreKey = await lib.KeyHelper.generateSignedPreKey(identityKeyPair, signedPreKeyId);
  await store.resetIdentity({
    identityKeyPair,
    registrationId,
    signedPreKey: { keyId: signedPreKeyId, keyPair: signedPreKey.keyPair },
  });
  const preKeys = await generatePreKeys(lib, store);
  return {
    registrationId,
    identityKey: bytesToBase64(identityKeyPair.pubKey),
    signedPreKey: {
      keyId: signedPreKeyId,
      publicKey: bytesToBase64(signedPreKey.keyPair.pubKey),
      signature: bytesToBase64(signedPreKey.signature),
    },
    preKeys,
  };
}
