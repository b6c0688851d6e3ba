import type { ImageMimeType } from '@chat/shared-dto';

/** Bytes needed to tell the accepted formats apart. */
export const SNIFF_LENGTH = 16;

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const JPEG_SOI = [0xff, 0xd8, 0xff];

function startsWith(bytes: Uint8Array, signature: readonly number[], offset = 0): boolean {
  if (bytes.length < offset + signature.length) return false;
  return signature.every((byte, i) => bytes[offset + i] === byte);
}

function ascii(bytes: Uint8Array, offset: number, length: number): string {
  if (bytes.length < offset + length) return '';
  return String.fromCharCode(...bytes.subarray(offset, offset + length));
}

/**
 * Recognises JPEG, PNG, GIF and WebP by their magic numbers, and nothing else: the name and the
 * client's Content-Type are never consulted. Only these four reach the decoder, so libvips'
 * other loaders (SVG, PDF, TIFF, HEIF...) are never exposed to uploaded bytes.
 */
export function sniffImageType(bytes: Uint8Array): ImageMimeType | null {
  if (startsWith(bytes, PNG_SIGNATURE)) return 'image/png';
  if (startsWith(bytes, JPEG_SOI)) return 'image/jpeg';
  const gif = ascii(bytes, 0, 6);
  if (gif === 'GIF87a' || gif === 'GIF89a') return 'image/gif';
  // RIFF <size> WEBP followed by a VP8 / VP8L / VP8X chunk: RIFF alone is also WAV or AVI.
  if (
    ascii(bytes, 0, 4) === 'RIFF' &&
    ascii(bytes, 8, 4) === 'WEBP' &&
    /^VP8[ LX]$/.test(ascii(bytes, 12, 4))
  ) {
    return 'image/webp';
  }
  return null;
}
