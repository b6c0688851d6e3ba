import {
  animatedImage,
  htmlBehindPngSignature,
  SVG_IMAGE,
  solidImage,
  TEXT_FILE,
} from '../../test/upload/image-fixtures';
import { sniffImageType } from './image-sniffer';

describe('sniffImageType', () => {
  it.each([
    ['jpeg', 'image/jpeg'],
    ['png', 'image/png'],
    ['gif', 'image/gif'],
    ['webp', 'image/webp'],
  ] as const)('recognises %s by its bytes', async (format, mimeType) => {
    expect(sniffImageType(await solidImage(format))).toBe(mimeType);
  });

  it('recognises animated GIF and WebP', async () => {
    expect(sniffImageType(await animatedImage('gif'))).toBe('image/gif');
    expect(sniffImageType(await animatedImage('webp'))).toBe('image/webp');
  });

  it('recognises GIF87a as well as GIF89a', () => {
    expect(sniffImageType(Buffer.from('GIF87a\x01\x00\x01\x00', 'latin1'))).toBe('image/gif');
  });

  it('refuses text, SVG, HTML and empty input', () => {
    expect(sniffImageType(TEXT_FILE)).toBeNull();
    expect(sniffImageType(SVG_IMAGE)).toBeNull();
    expect(sniffImageType(Buffer.from('<!doctype html><html></html>'))).toBeNull();
    expect(sniffImageType(Buffer.alloc(0))).toBeNull();
  });

  it('refuses other RIFF files (WAV) and a RIFF/WEBP header without a VP8 chunk', () => {
    expect(sniffImageType(Buffer.from('RIFF\x24\x00\x00\x00WAVEfmt ', 'latin1'))).toBeNull();
    expect(sniffImageType(Buffer.from('RIFF\x24\x00\x00\x00WEBPJUNK', 'latin1'))).toBeNull();
  });

  it('refuses a prefix of a signature', () => {
    expect(sniffImageType(Buffer.from([0x89, 0x50, 0x4e, 0x47]))).toBeNull();
    expect(sniffImageType(Buffer.from([0xff, 0xd8]))).toBeNull();
    expect(sniffImageType(Buffer.from('GIF8'))).toBeNull();
  });

  it('only looks at the signature: HTML behind a PNG signature still sniffs as PNG (the decoder refuses it)', () => {
    expect(sniffImageType(htmlBehindPngSignature())).toBe('image/png');
  });
});
