/**
 * The limits of the upload pipeline. The byte limit itself is `MAX_FILE_SIZE`
 * (`AppConfig.upload.maxFileSize`); these bound what a small file may expand into.
 */

/**
 * Decoded pixels per image, all frames of an animation together (sharp's `limitInputPixels`
 * counts the whole frame strip). 40 MP is a 48 MP phone photo's neighbour and ~160 MB of RGBA:
 * anything larger is a decompression bomb, not a chat photo.
 */
export const MAX_INPUT_PIXELS = 40_000_000;

/** The longest side accepted: WebP cannot encode more than 16383 px, the others gain nothing. */
export const MAX_IMAGE_SIDE = 16_383;

/** Frames of an animation: a thousand tiny frames cost the GIF encoder more than their pixels. */
export const MAX_ANIMATION_FRAMES = 1_000;

/** Thumbnails fit in this square box, never enlarged. */
export const THUMBNAIL_BOX = 320;

/** One image's decode + encodes must not hold a libuv thread longer than this. */
export const PROCESSING_TIMEOUT_SECONDS = 20;

/**
 * Images processed at once. sharp runs each pipeline on a libuv worker (4 by default, shared
 * with fs, dns and crypto), so a burst of uploads must not take every worker; the rest wait.
 */
export const MAX_CONCURRENT_IMAGE_JOBS = 2;
/** Uploads allowed to wait for a worker before the API answers 503 instead of piling up. */
export const MAX_QUEUED_IMAGE_JOBS = 32;

/** Per-user upload rate: attempts, failed ones included (they cost the same CPU). */
export const UPLOAD_RATE_LIMIT = { limit: 30, windowSeconds: 600 } as const;

/** Multipart framing allowed around the one file: a few small text fields, nothing else. */
export const MULTIPART_LIMITS = {
  files: 1,
  fields: 4,
  parts: 5,
  fieldNameSize: 100,
  // A voice note's waveform: 64 levels as JSON.
  fieldSize: 2048,
  headerPairs: 20,
} as const;

/**
 * Zip-based documents are inspected through their central directory only, never inflated; a
 * directory declaring more than this is refused as a zip bomb. Real Office files have a few
 * hundred entries and compress XML about 10:1; 200:1 and 1 GiB leave room for sparse sheets.
 */
export const MAX_ZIP_ENTRIES = 10_000;
export const MAX_ZIP_UNCOMPRESSED_BYTES = 1024 * 1024 * 1024;
export const MAX_ZIP_EXPANSION_RATIO = 200;

/** Sanitised original names are cut to this many characters (the extension kept). */
export const MAX_FILE_NAME_LENGTH = 120;

/**
 * Voice recordings are parsed in chunks of this size, the event loop let go between them
 * (the container parsers are synchronous).
 */
export const PROBE_CHUNK_BYTES = 256 * 1024;

/**
 * Elements (WebM) or top-level boxes (MP4) a recording may hold. Five minutes of opus in 20 ms
 * frames is 15,000 blocks; a file of millions of tiny elements only exists to exhaust memory.
 */
export const MAX_CONTAINER_ELEMENTS = 200_000;
