import { randomBytes } from 'node:crypto';
import type { UploadMimeType } from '@chat/shared-dto';

/**
 * Stored objects are named `<id>.<ext>` (the original) and `<id>-thumb.webp` (an image's thumbnail),
 * where `<id>` is 128 random bits in hex: unguessable, and made of nothing the client sent.
 * The extension is the format the API encoded or recognised, so it also gives the Content-Type.
 */
const ID_BYTES = 16;
const UPLOAD_NAME =
  /^([0-9a-f]{32})(?:\.(jpg|png|gif|webp|pdf|txt|csv|zip|docx|xlsx|pptx|odt|ods|odp|webm|ogg|m4a|mp3|bin)|-thumb\.(webp))$/;
/** Longest valid name; checked first so that a huge path segment never meets the regex. */
const MAX_NAME_LENGTH = 32 + '-thumb.webp'.length;

/** The public path the files are served under (global prefix `api` + `UploadController`). */
export const UPLOADS_PATH = '/api/uploads/';

const EXTENSION_BY_TYPE: Record<UploadMimeType, string> = {
  'application/octet-stream': 'bin',
  'image/jpeg': 'jpg',
  'image/png': 'png',
  'image/gif': 'gif',
  'image/webp': 'webp',
  'application/pdf': 'pdf',
  'text/plain': 'txt',
  'text/csv': 'csv',
  'application/zip': 'zip',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'docx',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': 'xlsx',
  'application/vnd.openxmlformats-officedocument.presentationml.presentation': 'pptx',
  'application/vnd.oasis.opendocument.text': 'odt',
  'application/vnd.oasis.opendocument.spreadsheet': 'ods',
  'application/vnd.oasis.opendocument.presentation': 'odp',
  'audio/webm': 'webm',
  'audio/ogg': 'ogg',
  'audio/mp4': 'm4a',
  'audio/mpeg': 'mp3',
};
const TYPE_BY_EXTENSION = Object.fromEntries(
  Object.entries(EXTENSION_BY_TYPE).map(([type, extension]) => [extension, type]),
) as Record<string, UploadMimeType>;

export interface UploadNames {
  original: string;
  thumbnail: string;
}

export interface ParsedUploadName {
  name: string;
  mimeType: UploadMimeType;
  isThumbnail: boolean;
}

/** Fresh names for an original stored as `mimeType` and (for images) its WebP thumbnail. */
export function newUploadNames(mimeType: UploadMimeType): UploadNames {
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
