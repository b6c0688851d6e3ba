import {
  Inject,
  Injectable,
  NotFoundException,
  UnsupportedMediaTypeException,
} from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { AVATAR_URL_PATTERN } from '@chat/shared-dto';
import { FILE_STORAGE, FileStorage, StoredObject } from '../upload/file-storage';
import { ImageProcessor } from '../upload/image-processor';
import { sniffImageType } from '../upload/image-sniffer';

/** The renditions of every avatar: the profile's and the lists'. */
const SIDES = [256, 64] as const;
const AVATARS_PATH = '/api/avatars/';
const AVATAR_NAME = /^avatar-[0-9a-f]{32}-(256|64)\.webp$/;

/**
 * Avatars through the upload module's sniffer, processor and storage: recognised by their
 * bytes, decoded and re-encoded (no EXIF), centre-cropped to squares, stored as
 * `avatar-<id>-<side>.webp`, served at `/api/avatars/<id>-<side>.webp`.
 */
@Injectable()
export class AvatarsService {
  constructor(
    @Inject(FILE_STORAGE) private readonly storage: FileStorage,
    private readonly images: ImageProcessor,
  ) {}

  /** Stores both renditions and answers the URL of the large one. */
  async store(bytes: Buffer): Promise<string> {
    const sniffed = sniffImageType(bytes);
    if (!sniffed)
      throw new UnsupportedMediaTypeException('Only JPEG, PNG, GIF and WebP images are accepted');
    const encoded = await this.images.squares(bytes, sniffed, [...SIDES]);
    const id = randomBytes(16).toString('hex');
    const written: string[] = [];
    try {
      for (const [i, side] of SIDES.entries()) {
        await this.storage.put(key(id, side), encoded[i].data, 'image/webp');
        written.push(key(id, side));
      }
    } catch (err) {
      await Promise.all(written.map((k) => this.storage.delete(k).catch(() => undefined)));
      throw err;
    }
    return `${AVATARS_PATH}${id}-256.webp`;
  }

  /** Removes both renditions behind `url`; anything that is not such a URL is left alone. */
  async remove(url: string | null): Promise<void> {
    const id = url ? idOf(url) : null;
    if (id) await Promise.all(SIDES.map((side) => this.storage.delete(key(id, side))));
  }

  /** The bytes behind `/api/avatars/:name`; 404 for anything else. */
  async open(name: string): Promise<StoredObject> {
    const stored = `avatar-${name}`;
    const file = AVATAR_NAME.test(stored) ? await this.storage.get(stored) : null;
    if (!file) throw new NotFoundException('No such avatar');
    return file;
  }
}

const key = (id: string, side: number) => `avatar-${id}-${side}.webp`;

function idOf(url: string): string | null {
  return AVATAR_URL_PATTERN.test(url)
    ? url.slice(AVATARS_PATH.length, AVATARS_PATH.length + 32)
    : null;
}
