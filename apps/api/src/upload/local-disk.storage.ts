import { randomBytes } from 'node:crypto';
import { mkdir, open, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { FileStorage, RangeResolver, StoredObject } from './file-storage';

/** Keys this store accepts: a flat name of safe characters, so no key can leave the root. */
const SAFE_KEY = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

function isNotFound(err: unknown): boolean {
  return (err as NodeJS.ErrnoException | null)?.code === 'ENOENT';
}

/**
 * Files under `root`, spread over 256 sub-directories by the first two characters of the key
 * so that no directory grows to millions of entries. Writes go to a temporary file renamed into
 * place, which is atomic on one file system: a concurrent GET sees all of a file or none of it.
 */
export class LocalDiskStorage implements FileStorage {
  constructor(private readonly root: string) {}

  /** The content type is implied by the key's extension here; object stores keep it as metadata. */
  async put(key: string, data: Buffer, _contentType?: string): Promise<void> {
    const path = this.pathOf(key);
    await mkdir(join(path, '..'), { recursive: true });
    const temporary = `${path}.${randomBytes(6).toString('hex')}.tmp`;
    try {
      await writeFile(temporary, data, { flag: 'wx', mode: 0o640 });
      await rename(temporary, path);
    } catch (err) {
      await rm(temporary, { force: true });
      throw err;
    }
  }

  async get(key: string, resolveRange?: RangeResolver): Promise<StoredObject | null> {
    // Open first, then stat the open descriptor: no window in which the file could change.
    const handle = await open(this.pathOf(key), 'r').catch((err: unknown) => {
      if (isNotFound(err)) return null;
      throw err;
    });
    if (!handle) return null;
    try {
      const { size } = await handle.stat();
      const range = resolveRange?.(size);
      // The stream owns the handle from here on and closes it when it ends or is destroyed.
      return { stream: handle.createReadStream(range ?? {}), size, range };
    } catch (err) {
      await handle.close();
      throw err;
    }
  }

  async delete(key: string): Promise<void> {
    await rm(this.pathOf(key), { force: true });
  }

  async exists(key: string): Promise<boolean> {
    try {
      return (await stat(this.pathOf(key))).isFile();
    } catch (err) {
      if (isNotFound(err)) return false;
      throw err;
    }
  }

  private pathOf(key: string): string {
    if (!SAFE_KEY.test(key))
      throw new Error(`unsafe storage key: ${JSON.stringify(key.slice(0, 40))}`);
    return join(this.root, key.slice(0, 2), key);
  }
}
