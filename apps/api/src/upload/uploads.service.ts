import {
  Inject,
  Injectable,
  Logger,
  NotFoundException,
  UnsupportedMediaTypeException,
} from '@nestjs/common';
import type { ImageMimeType, UploadView } from '@chat/shared-dto';
import type { Readable } from 'node:stream';
import { FILE_STORAGE, FileStorage } from './file-storage';
import { ImageProcessor } from './image-processor';
import { sniffImageType } from './image-sniffer';
import { newUploadNames, originalNameFromUrl, parseUploadName, uploadUrl } from './upload-name';
import { UploadsRepository } from './uploads.repository';

/** A stored file ready to be streamed, with the type the API encoded it as. */
export interface ServedFile {
  name: string;
  mimeType: ImageMimeType;
  size: number;
  stream: Readable;
}

/** What an image message refers to. */
export interface OwnedImage {
  url: string;
  thumbnailUrl: string;
}

@Injectable()
export class UploadsService {
  private readonly logger = new Logger(UploadsService.name);

  constructor(
    private readonly uploads: UploadsRepository,
    @Inject(FILE_STORAGE) private readonly storage: FileStorage,
    private readonly images: ImageProcessor,
  ) {}

  /**
   * Accepts the bytes of one upload: recognised by their magic number only, re-encoded,
   * stored under fresh random names and recorded as `ownerId`'s.
   */
  async store(ownerId: string, bytes: Buffer): Promise<UploadView> {
    const sniffed = sniffImageType(bytes);
    if (!sniffed) {
      throw new UnsupportedMediaTypeException('Only JPEG, PNG, GIF and WebP images are accepted');
    }
    const { original, thumbnail } = await this.images.process(bytes, sniffed);
    const names = newUploadNames(original.mimeType);

    const written: string[] = [];
    try {
      await this.storage.put(names.original, original.data, original.mimeType);
      written.push(names.original);
      await this.storage.put(names.thumbnail, thumbnail.data, thumbnail.mimeType);
      written.push(names.thumbnail);
      await this.uploads.insert({
        ownerId,
        originalKey: names.original,
        thumbnailKey: names.thumbnail,
        mimeType: original.mimeType,
        width: original.width,
        height: original.height,
        size: original.data.length,
      });
    } catch (err) {
      // Files without a row would be unreachable through the API's ownership rules: drop them.
      await Promise.all(written.map((key) => this.storage.delete(key).catch(() => undefined)));
      throw err;
    }

    this.logger.log(
      `stored upload ${names.original} (${original.mimeType}, ${original.data.length} B) for ${ownerId}`,
    );
    return {
      url: uploadUrl(names.original),
      thumbnailUrl: uploadUrl(names.thumbnail),
      width: original.width,
      height: original.height,
      size: original.data.length,
      mimeType: original.mimeType,
    };
  }

  /**
   * The stored file called `name`, for `GET /api/uploads/:name`, when `requesterId` may read
   * it (`UploadsRepository.readableBy`). Anyone else gets the same 404 as for a missing file,
   * so the answer does not even confirm that the name exists.
   */
  async open(name: string, requesterId: string): Promise<ServedFile> {
    const parsed = parseUploadName(name);
    const readable = parsed ? await this.uploads.readableBy(parsed.name, requesterId) : false;
    const stored = parsed && readable ? await this.storage.get(parsed.name) : null;
    if (!parsed || !stored) throw new NotFoundException('No such upload');
    return {
      name: parsed.name,
      mimeType: parsed.mimeType,
      size: stored.size,
      stream: stored.stream,
    };
  }

  /**
   * Removes a file that no message shows any more (its message was deleted): the stored
   * original, its thumbnail and the record, so the URL answers 404 from now on.
   */
  async discard(fileUrl: string): Promise<void> {
    const name = originalNameFromUrl(fileUrl);
    const upload = name ? await this.uploads.findByOriginalKey(name) : null;
    if (!upload) return;
    await this.uploads.delete(upload.id);
    await Promise.all(
      [upload.originalKey, upload.thumbnailKey].map((key) => this.storage.delete(key)),
    );
    this.logger.log(`discarded upload ${upload.originalKey}`);
  }

  /**
   * For image messages: the upload behind `fileUrl` when it is exactly a `url` that
   * `POST /api/upload` returned to `userId`, else `null` (someone else's image, a thumbnail
   * URL, a foreign host, or anything made up).
   */
  async findOwnedImage(userId: string, fileUrl: string): Promise<OwnedImage | null> {
    if (typeof fileUrl !== 'string') return null;
    const name = originalNameFromUrl(fileUrl);
    if (!name) return null;
    const upload = await this.uploads.findOwned(name, userId);
    if (!upload) return null;
    return { url: uploadUrl(upload.originalKey), thumbnailUrl: uploadUrl(upload.thumbnailKey) };
  }
}
