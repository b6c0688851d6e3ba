import sharp, { Sharp } from 'sharp';

/**
 * Test images made by sharp at run time, so the repository holds no binaries and every case
 * says how it was built.
 */

type Format = 'jpeg' | 'png' | 'gif' | 'webp';

const RED = { r: 220, g: 30, b: 30 };

function solid(width: number, height: number, background = RED): Sharp {
  return sharp({ create: { width, height, channels: 3, background } });
}

/** A still image of one colour in `format`. */
export function solidImage(format: Format, width = 64, height = 48): Promise<Buffer> {
  return solid(width, height).toFormat(format).toBuffer();
}

/** An animation of `frames` differently coloured frames (identical frames would be merged). */
export async function animatedImage(
  format: 'gif' | 'webp',
  frames = 3,
  width = 40,
  height = 30,
): Promise<Buffer> {
  const pages = await Promise.all(
    Array.from({ length: frames }, (_, i) =>
      sharp({
        create: {
          width,
          height,
          channels: 4,
          background: { r: (i * 80) % 256, g: 100, b: 255 - ((i * 80) % 256), alpha: 1 },
        },
      })
        .raw()
        .toBuffer(),
    ),
  );
  const strip = sharp(Buffer.concat(pages), {
    raw: { width, height: height * frames, channels: 4, pageHeight: height },
  });
  const delay = Array.from({ length: frames }, () => 100);
  return format === 'gif'
    ? strip.gif({ loop: 0, delay }).toBuffer()
    : strip.webp({ loop: 0, delay }).toBuffer();
}

/** A 400x300 JPEG whose EXIF says "rotate 90° clockwise" and carries a copyright and GPS-like tag. */
export function exifRotatedJpeg(): Promise<Buffer> {
  return solid(400, 300)
    .jpeg()
    .withMetadata({
      orientation: 6,
      exif: { IFD0: { Copyright: 'secret-copyright-marker', Artist: 'someone' } },
    })
    .toBuffer();
}

export const HTML_PAYLOAD = '<html><body><script>alert(document.cookie)</script></body></html>';

/** A valid PNG with an HTML document appended after its IEND chunk. */
export async function pngWithTrailingHtml(): Promise<Buffer> {
  return Buffer.concat([await solidImage('png'), Buffer.from(HTML_PAYLOAD)]);
}

/** An HTML page that starts with the PNG signature (and nothing else of a PNG). */
export function htmlBehindPngSignature(): Buffer {
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    Buffer.from(HTML_PAYLOAD),
  ]);
}

export const SVG_IMAGE = Buffer.from(
  '<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">' +
    '<script>alert(1)</script><rect width="10" height="10"/></svg>',
);

export const TEXT_FILE = Buffer.from('just some text, whatever the file name says\n');

/** The first half of a valid image. */
export function truncated(image: Buffer): Buffer {
  return image.subarray(0, Math.floor(image.length / 2));
}

/** A buffer of `size` bytes that starts like a PNG (the size check must come first). */
export function oversizedPng(size: number): Buffer {
  const bytes = Buffer.alloc(size, 0x42);
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]).copy(bytes);
  return bytes;
}

let bomb: Promise<Buffer> | undefined;
/**
 * A decompression bomb: a 20000x20000 (400 megapixel) black PNG, a few hundred KiB on the
 * wire. Made once per test file (it takes a few seconds); sharp needs its own limit lifted.
 */
export function pixelBombPng(): Promise<Buffer> {
  bomb ??= sharp({
    create: { width: 20_000, height: 20_000, channels: 3, background: { r: 0, g: 0, b: 0 } },
    limitInputPixels: false,
  })
    .toColourspace('b-w')
    .png({ compressionLevel: 9 })
    .toBuffer();
  return bomb;
}
