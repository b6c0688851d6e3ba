import './e2e-env.test';
import { base64ToBytes, utf8Decode, utf8Encode } from './encoding';
import { openFile, sealFile } from './encrypted-file';

describe('sealFile / openFile', () => {
  it('round-trips a file with a fresh 32-byte key and 12-byte IV', async () => {
    const sealed = await sealFile(utf8Encode('a picture, honestly'));
    expect(base64ToBytes(sealed.key)).toHaveLength(32);
    expect(base64ToBytes(sealed.iv)).toHaveLength(12);
    const plain = new Uint8Array(utf8Encode('a picture, honestly'));
    // GCM: same length plus a 16-byte tag, and not the plaintext.
    expect(sealed.ciphertext.byteLength).toBe(plain.length + 16);
    expect(new Uint8Array(sealed.ciphertext).subarray(0, plain.length)).not.toEqual(plain);
    expect(utf8Decode(await openFile(sealed.ciphertext, sealed.key, sealed.iv))).toBe(
      'a picture, honestly',
    );
    const other = await sealFile(utf8Encode('a picture, honestly'));
    expect(other.key).not.toBe(sealed.key);
  });

  it('refuses a changed byte', async () => {
    const sealed = await sealFile(utf8Encode('exact bytes'));
    const bytes = new Uint8Array(sealed.ciphertext);
    bytes[0] ^= 0x80;
    await expect(openFile(bytes.buffer, sealed.key, sealed.iv)).rejects.toBeDefined();
  });
});
