import type { Readable } from 'node:stream';

/** Injection token of the `FileStorage` in use (local disk today, S3-compatible tomorrow). */
export const FILE_STORAGE = Symbol('FILE_STORAGE');

export interface StoredObject {
  stream: Readable;
  /** Bytes, for Content-Length. */
  size: number;
}

/**
 * Where upload bytes live. Keys are names the API generated (`upload-name.ts`), never client
 * input; implementations still refuse keys outside that alphabet as a second line of defence.
 */
export interface FileStorage {
  /** Stores `data` under `key`; a reader never sees a half-written object. */
  put(key: string, data: Buffer, contentType: string): Promise<void>;
  /** A stream of the object, or `null` when there is none. */
  get(key: string): Promise<StoredObject | null>;
  /** Removes the object; removing a missing one is not an error. */
  delete(key: string): Promise<void>;
  exists(key: string): Promise<boolean>;
}
