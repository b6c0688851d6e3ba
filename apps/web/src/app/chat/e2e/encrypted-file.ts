import { base64ToBytes, bytesToBase64, toArrayBuffer, webCrypto } from './encoding';

/** A file sealed for an encrypted conversation: its ciphertext and what opens it (base64). */
export interface SealedFile {
  ciphertext: ArrayBuffer;
  key: string;
  iv: string;
}

const IV_BYTES = 12;

/**
 * AES-256-GCM with a fresh random key and 12-byte IV per file (WebCrypto): the server stores
 * only the ciphertext; the key travels inside the Signal-encrypted message. GCM authenticates,
 * so a changed byte fails to decrypt instead of yielding a different file.
 */
export async function sealFile(plaintext: ArrayBuffer): Promise<SealedFile> {
  const crypto = webCrypto();
  const key = await crypto.subtle.generateKey({ name: 'AES-GCM', length: 256 }, true, ['encrypt']);
  const iv = crypto.getRandomValues(new Uint8Array(IV_BYTES));
  const ciphertext = await crypto.subtle.encrypt({ name: 'AES-GCM', iv }, key, plaintext);
  const raw = await crypto.subtle.exportKey('raw', key);
  return { ciphertext, key: bytesToBase64(raw), iv: bytesToBase64(iv) };
}

export async function openFile(
  ciphertext: ArrayBuffer,
  key: string,
  iv: string,
): Promise<ArrayBuffer> {
  const crypto = webCrypto();
  const rawKey = base64ToBytes(key);
  const ivBytes = base64ToBytes(iv);
  if (rawKey.length !== 32 || ivBytes.length !== IV_BYTES) throw new Error('Bad file key');
  const imported = await crypto.subtle.importKey(
    'raw',
    toArrayBuffer(rawKey),
    { name: 'AES-GCM' },
    false,
    ['decrypt'],
  );
  return crypto.subtle.decrypt(
    { name: 'AES-GCM', iv: toArrayBuffer(ivBytes) },
    imported,
    ciphertext,
  );
}
