import type { Readable } from 'node:stream';

/** Injection token of the `FileStorage` in use (local disk today, S3-compatible tomorrow). */
export const FILE_STORAGE = Symbol('FILE_STORAGE');

/** Inclusive byte offsets, as in `Content-Range`. */
export interface ByteRange {
  start: number;
  end: number;
}

/** Given the object's size, the range to stream (undefined: all of it); may throw a 416. */
export type RangeResolver = (size: number) => ByteRange | undefined;

export interface StoredObject {
  stream: Readable;
  /** Bytes of the whole object. */
  size: number;
  /** The part `stream` carries, when a range was resolved. */
  range?: ByteRange;
}

/**
 * Where upload bytes live. Keys are names the API generated (`upload-name.ts`), never client
 * input; implementations still refuse keys outside that alphabet as a second line of defence.
 */
export interface FileStorage {
  /** Stores `data` under `key`; a reader never sees a half-written object. */
  put(key: string, data: Buffer, contentType: string): Promise<void>;
  /** A stream of the object (or of the range `range` resolves), or `null` when there is none. */
  get(key: string, range?: RangeResolver): Promise<StoredObject | null>;
  /** Removes the object; removing a missing one is not an error. */
  delete(key: string): Promise<void>;
  exists(key: string): Promise<boolean>;
}
