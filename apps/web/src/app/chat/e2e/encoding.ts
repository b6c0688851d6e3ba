/**
 * Byte conversions for the wire: every key, signature and envelope body is standard base64, and
 * libsignal hands ciphertext over as a "binary string" (one char per byte).
 */

export function bytesToBase64(bytes: ArrayBuffer | Uint8Array): string {
  const view = bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes);
  let binary = '';
  // Chunked: String.fromCharCode with a spread of a large array overflows the call stack.
  for (let i = 0; i < view.length; i += 0x8000) {
    binary += String.fromCharCode(...view.subarray(i, i + 0x8000));
  }
  return btoa(binary);
}

export function base64ToBytes(base64: string): Uint8Array {
  return binaryToBytes(atob(base64));
}

export function base64ToBuffer(base64: string): ArrayBuffer {
  return toArrayBuffer(base64ToBytes(base64));
}

export function binaryToBytes(binary: string): Uint8Array {
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i) & 0xff;
  return bytes;
}

/** libsignal's `{body}` (a binary string) as base64. */
export function binaryToBase64(binary: string): string {
  return btoa(binary);
}

/** The base64 of an envelope body as the binary string libsignal decrypts. */
export function base64ToBinary(base64: string): string {
  return atob(base64);
}

/** A standalone ArrayBuffer holding exactly these bytes (a view may sit inside a larger one). */
export function toArrayBuffer(bytes: Uint8Array): ArrayBuffer {
  const copy = new Uint8Array(bytes.length);
  copy.set(bytes);
  return copy.buffer;
}

export function utf8Encode(text: string): ArrayBuffer {
  return toArrayBuffer(new TextEncoder().encode(text));
}

export function utf8Decode(bytes: ArrayBuffer): string {
  return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
}

/** Hex SHA-256 of a string's UTF-8 bytes: the plaintext cache's key for a ciphertext. */
export async function sha256Hex(text: string): Promise<string> {
  const digest = await webCrypto().subtle.digest('SHA-256', utf8Encode(text));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/** WebCrypto, which tests may swap in (jsdom has no `crypto.subtle`). */
let override: Crypto | null = null;

export function setE2eWebCrypto(crypto: Crypto | null): void {
  override = crypto;
}

export function webCrypto(): Crypto {
  const crypto = override ?? globalThis.crypto;
  if (!crypto?.subtle) throw new Error('WebCrypto is not available (a secure context is needed)');
  return crypto;
}
