import {
  BadRequestException,
  HttpException,
  Injectable,
  Logger,
  ServiceUnavailableException,
} from '@nestjs/common';
import type { ImageMimeType } from '@chat/shared-dto';
import sharp, { FormatEnum, OutputInfo, Sharp, SharpOptions } from 'sharp';
import { ConcurrencyLimiter, QueueFullError } from './concurrency-limiter';
import {
  MAX_ANIMATION_FRAMES,
  MAX_CONCURRENT_IMAGE_JOBS,
  MAX_IMAGE_SIDE,
  MAX_INPUT_PIXELS,
  MAX_QUEUED_IMAGE_JOBS,
  PROCESSING_TIMEOUT_SECONDS,
  THUMBNAIL_BOX,
} from './upload.constants';

export interface EncodedImage {
  data: Buffer;
  mimeType: ImageMimeType;
  /** Of one frame, after orientation. */
  width: number;
  height: number;
}

export interface ProcessedImage {
  original: EncodedImage;
  thumbnail: EncodedImage;
}

const FORMAT_BY_TYPE: Record<ImageMimeType, keyof FormatEnum> = {
  'image/jpeg': 'jpeg',
  'image/png': 'png',
  'image/gif': 'gif',
  'image/webp': 'webp',
};

const NOT_DECODABLE =
  'The file is not a valid image: it is damaged, truncated or not what its first bytes claim';
const TOO_MANY_PIXELS =
  `The image is too large: at most ${MAX_INPUT_PIXELS / 1_000_000} megapixels (all frames together) ` +
  `and ${MAX_IMAGE_SIDE} px a side`;

/**
 * Decodes an upload completely and encodes it again with sharp, so what is stored is pixels
 * the API wrote itself: no EXIF/GPS/XMP, no trailing or embedded bytes (HTML, scripts), EXIF
 * orientation applied, plus a WebP thumbnail. sharp works on libuv threads, so the event loop
 * stays free; the limiter keeps uploads from taking every one of those threads.
 */
@Injectable()
export class ImageProcessor {
  private readonly logger = new Logger(ImageProcessor.name);
  private readonly limiter = new ConcurrencyLimiter(
    MAX_CONCURRENT_IMAGE_JOBS,
    MAX_QUEUED_IMAGE_JOBS,
  );

  constructor() {
    // Every upload is bytes never seen before: libvips' operation cache would only hold memory.
    sharp.cache(false);
  }

  /** `mimeType` is what the sniffer found; the decoder must agree with it. */
  async process(input: Buffer, mimeType: ImageMimeType): Promise<ProcessedImage> {
    try {
      return await this.limiter.run(() => this.processNow(input, mimeType));
    } catch (err) {
      throw this.toHttpException(err);
    }
  }

  private async processNow(input: Buffer, mimeType: ImageMimeType): Promise<ProcessedImage> {
    const frames = await this.checkHeader(input, mimeType);
    const options: SharpOptions = {
      // Keep every frame of an animation; a still image is read as the single image it is.
      animated: frames > 1,
      // The backstop behind checkHeader: libvips itself refuses to decode more pixels.
      limitInputPixels: MAX_INPUT_PIXELS,
      // Truncated or corrupt data fails instead of being padded with grey.
      failOn: 'error',
    };
    // `.rotate()` without an angle applies the EXIF orientation; the encoders then write no
    // metadata at all (sharp keeps none unless asked with `keepMetadata`/`withMetadata`).
    const original = await this.encode(sharp(input, options).rotate(), mimeType);
    const thumbnail = await this.encode(
      sharp(input, options)
        .rotate()
        .resize(THUMBNAIL_BOX, THUMBNAIL_BOX, { fit: 'inside', withoutEnlargement: true }),
      'image/webp',
      75,
    );
    return { original, thumbnail };
  }

  /**
   * Square WebP renditions of an image (an avatar): EXIF orientation applied, centre-cropped,
   * first frame only, no metadata, one per side length in `sides`.
   */
  async squares(input: Buffer, mimeType: ImageMimeType, sides: number[]): Promise<EncodedImage[]> {
    try {
      return await this.limiter.run(async () => {
        await this.checkHeader(input, mimeType);
        const options: SharpOptions = { limitInputPixels: MAX_INPUT_PIXELS, failOn: 'error' };
        return Promise.all(
          sides.map((side) =>
            this.encode(
              sharp(input, options)
                .rotate()
                .resize(side, side, { fit: 'cover', position: 'centre' }),
              'image/webp',
              80,
            ),
          ),
        );
      });
    } catch (err) {
      throw this.toHttpException(err);
    }
  }

  /**
   * Reads only the header (no pixels are decoded) and refuses absurd dimensions before the
   * decoder allocates anything. Returns the number of frames.
   */
  private async checkHeader(input: Buffer, mimeType: ImageMimeType): Promise<number> {
    // No pixel limit here: this reads the header only, and the checks below give a clearer answer.
    const meta = await sharp(input, { limitInputPixels: false }).metadata();
    if (meta.format !== FORMAT_BY_TYPE[mimeType]) throw new BadRequestException(NOT_DECODABLE);
    const { width, height } = meta; // Without `animated`, `height` is that of one frame.
    const frames = meta.pages ?? 1;
    if (!width || !height) throw new BadRequestException(NOT_DECODABLE);
    if (
      width > MAX_IMAGE_SIDE ||
      height > MAX_IMAGE_SIDE ||
      width * height * frames > MAX_INPUT_PIXELS
    ) {
      throw new BadRequestException(TOO_MANY_PIXELS);
    }
    if (frames > MAX_ANIMATION_FRAMES) {
      throw new BadRequestException(`An animation may have at most ${MAX_ANIMATION_FRAMES} frames`);
    }
    return frames;
  }

  private async encode(
    pipeline: Sharp,
    mimeType: ImageMimeType,
    quality = 85,
  ): Promise<EncodedImage> {
    const { data, info } = await this.withEncoder(pipeline, mimeType, quality)
      .timeout({ seconds: PROCESSING_TIMEOUT_SECONDS })
      .toBuffer({ resolveWithObject: true });
    return { data, mimeType, width: info.width, height: frameHeight(info) };
  }

  private withEncoder(pipeline: Sharp, mimeType: ImageMimeType, quality: number): Sharp {
    switch (mimeType) {
      case 'image/jpeg':
        return pipeline.jpeg({ quality });
      case 'image/png':
        return pipeline.png();
      case 'image/gif':
        // GIF stays GIF so that animations keep working everywhere; frames, delays and loop
        // count are carried over by sharp.
        return pipeline.gif();
      case 'image/webp':
        return pipeline.webp({ quality });
    }
  }

  /** Every failure here is the upload's fault or our capacity, never a 500. */
  private toHttpException(err: unknown): HttpException {
    if (err instanceof HttpException) return err;
    if (err instanceof QueueFullError) {
      return new ServiceUnavailableException(
        'Too many images are being processed; try again shortly',
      );
    }
    const message = err instanceof Error ? err.message : String(err);
    this.logger.debug(`image refused: ${message}`);
    if (/pixel limit/i.test(message)) return new BadRequestException(TOO_MANY_PIXELS);
    if (/timeout/i.test(message))
      return new BadRequestException('The image took too long to process');
    return new BadRequestException(NOT_DECODABLE);
  }
}

/** An animation's frames are stacked vertically; its height is that of one of them. */
function frameHeight(info: OutputInfo): number {
  return info.pageHeight ?? info.height;
}
