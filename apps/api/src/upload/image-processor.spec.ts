import { BadRequestException } from '@nestjs/common';
import sharp from 'sharp';
import {
  animatedImage,
  exifRotatedJpeg,
  HTML_PAYLOAD,
  htmlBehindPngSignature,
  pixelBombPng,
  pngWithTrailingHtml,
  solidImage,
  truncated,
} from '../../test/upload/image-fixtures';
import { ImageProcessor } from './image-processor';

describe('ImageProcessor', () => {
  const processor = new ImageProcessor();

  it.each([
    ['jpeg', 'image/jpeg'],
    ['png', 'image/png'],
    ['gif', 'image/gif'],
    ['webp', 'image/webp'],
  ] as const)(
    're-encodes %s in its own format and makes a WebP thumbnail',
    async (format, mimeType) => {
      const { original, thumbnail } = await processor.process(
        await solidImage(format, 640, 480),
        mimeType,
      );
      expect(original).toMatchObject({ mimeType, width: 640, height: 480 });
      expect((await sharp(original.data).metadata()).format).toBe(format);
      expect(thumbnail).toMatchObject({ mimeType: 'image/webp', width: 320, height: 240 });
      expect((await sharp(thumbnail.data).metadata()).format).toBe('webp');
    },
  );

  it('never enlarges a small image for its thumbnail', async () => {
    const { thumbnail } = await processor.process(await solidImage('png', 50, 20), 'image/png');
    expect(thumbnail).toMatchObject({ width: 50, height: 20 });
  });

  it('applies the EXIF orientation and strips every bit of metadata', async () => {
    const input = await exifRotatedJpeg();
    const before = await sharp(input).metadata();
    expect(before).toMatchObject({ width: 400, height: 300, orientation: 6 });
    expect(before.exif).toBeDefined();

    const { original, thumbnail } = await processor.process(input, 'image/jpeg');
    expect(original).toMatchObject({ width: 300, height: 400 });
    for (const data of [original.data, thumbnail.data]) {
      const after = await sharp(data).metadata();
      expect(after.exif).toBeUndefined();
      expect(after.xmp).toBeUndefined();
      expect(after.iptc).toBeUndefined();
      expect(after.orientation).toBeUndefined();
      expect(data.includes('secret-copyright-marker')).toBe(false);
    }
    expect(thumbnail).toMatchObject({ width: 240, height: 320 });
  });

  it.each(['gif', 'webp'] as const)(
    'keeps an animated %s animated, thumbnail included',
    async (format) => {
      const input = await animatedImage(format, 4, 40, 30);
      const { original, thumbnail } = await processor.process(input, `image/${format}`);
      expect(original).toMatchObject({ mimeType: `image/${format}`, width: 40, height: 30 });
      const stored = await sharp(original.data).metadata();
      expect(stored.format).toBe(format);
      expect(stored.pages).toBe(4);
      expect((await sharp(thumbnail.data).metadata()).pages).toBe(4);
    },
  );

  it('stores a PNG with HTML appended as a clean PNG: the HTML is gone', async () => {
    const { original, thumbnail } = await processor.process(
      await pngWithTrailingHtml(),
      'image/png',
    );
    expect((await sharp(original.data).metadata()).format).toBe('png');
    expect(original.data.includes(HTML_PAYLOAD)).toBe(false);
    expect(original.data.includes('<script')).toBe(false);
    expect(thumbnail.data.includes('<script')).toBe(false);
  });

  it('refuses HTML that only starts with the PNG signature', async () => {
    await expect(processor.process(htmlBehindPngSignature(), 'image/png')).rejects.toThrow(
      BadRequestException,
    );
  });

  it.each(['jpeg', 'png', 'gif', 'webp'] as const)(
    'refuses a truncated %s with 400',
    async (format) => {
      const input = truncated(await solidImage(format, 300, 200));
      await expect(processor.process(input, `image/${format}`)).rejects.toThrow(
        BadRequestException,
      );
    },
  );

  it('refuses bytes whose format disagrees with the sniffed type', async () => {
    await expect(processor.process(await solidImage('jpeg'), 'image/png')).rejects.toThrow(
      BadRequestException,
    );
  });

  it('refuses a 400-megapixel decompression bomb from its header, without decoding it', async () => {
    const bomb = await pixelBombPng();
    expect(bomb.length).toBeLessThan(1024 * 1024);
    const started = Date.now();
    await expect(processor.process(bomb, 'image/png')).rejects.toThrow(
      /too large: at most 40 megapixels/,
    );
    expect(Date.now() - started).toBeLessThan(1000);
  }, 60_000);

  it('answers 400 (not 500) for whatever the decoder rejects', async () => {
    const error = await processor
      .process(Buffer.from('GIF89a nonsense'), 'image/gif')
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BadRequestException);
    expect((error as BadRequestException).getStatus()).toBe(400);
  });
});
