import { randomBytes } from 'node:crypto';
import type { ImageMimeType } from '@chat/shared-dto';

/**
 * Stored objects are named `<id>.<ext>` (the original) and `<id>-thumb.webp` (its thumbnail),
 * where `<id>` is 128 random bits in hex: unguessable, and made of nothing the client sent.
 * The extension is the format the API itself encoded, so it also gives the Content-Type.
 */
const ID_BYTES = 16;
const UPLOAD_NAME = /^([0-9a-f]{32})(?:\.(jpg|png|gif|webp)|-thumb\.(webp))$/;
/** Longest valid name; checked first so that a huge path segment never meets the regex. */
const MAX_NAME_LENGTH = 32 + '-thumb.webp'.length;

/** The public path the files are served under (global prefix `api` + `UploadController`). */
export const UPLOADS_PATH = '/api/uploads/';

const EXTENSION_BY_TYPE: Record<ImageMimeType, string> = {
  'image/jpeg': 'jpg',
  'image/png': 'png',
  'image/gif': 'gif',
  'image/webp': 'webp',
};
const TYPE_BY_EXTENSION: Record<string, ImageMimeType> = {
  jpg: 'image/jpeg',
  png: 'image/png',
  gif: 'image/gif',
  webp: 'image/webp',
};

export interface UploadNames {
  original: string;
  thumbnail: string;
}

export interface ParsedUploadName {
  name: string;
  mimeType: ImageMimeType;
  isThumbnail: boolean;
}

/** Fresh names for an original stored as `mimeType` and its WebP thumbnail. */
export function newUploadNames(mimeType: ImageMimeType): UploadNames {
  const id = randomBytes(ID_BYTES).toString('hex');
  return { original: `${id}.${EXTENSION_BY_TYPE[mimeType]}`, thumbnail: `${id}-thumb.webp` };
}

/** Accepts only a name `newUploadNames` could have produced; anything else is `null` (404). */
export function parseUploadName(name: string): ParsedUploadName | null {
  if (name.length > MAX_NAME_LENGTH) return null;
  const match = UPLOAD_NAME.exec(name);
  if (!match) return null;
  const extension = match[2] ?? match[3];
  return { name, mimeType: TYPE_BY_EXTENSION[extension], isThumbnail: match[3] !== undefined };
}

export function uploadUrl(name: string): string {
  return `${UPLOADS_PATH}${name}`;
}

/**
 * The name of an original from a URL exactly as `POST /api/upload` returned it, or `null`:
 * no host, query, fragment, encoding tricks or thumbnail URLs.
 */
export function originalNameFromUrl(url: string): string | null {
  if (!url.startsWith(UPLOADS_PATH)) return null;
  const parsed = parseUploadName(url.slice(UPLOADS_PATH.length));
  return parsed && !parsed.isThumbnail ? parsed.name : null;
}

/** The thumbnail URL that goes with an original's URL (same id), or `null`. */
export function thumbnailUrlFor(url: string): string | null {
  const original = originalNameFromUrl(url);
  return original ? uploadUrl(`${original.slice(0, 32)}-thumb.webp`) : null;
}
