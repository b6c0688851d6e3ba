import { Readable } from 'node:stream';
import type { UploadsRepository } from '../../src/upload/uploads.repository';
import { FileStorage, RangeResolver, StoredObject } from '../../src/upload/file-storage';
import { UploadEntity } from '../../src/upload/upload.entity';

/** A `FileStorage` in a Map, for tests that need no disk. */
export class MemoryStorage implements FileStorage {
  readonly objects = new Map<string, Buffer>();

  async put(key: string, data: Buffer): Promise<void> {
    this.objects.set(key, data);
  }

  async get(key: string, resolveRange?: RangeResolver): Promise<StoredObject | null> {
    const data = this.objects.get(key);
    if (!data) return null;
    const range = resolveRange?.(data.length);
    const part = range ? data.subarray(range.start, range.end + 1) : data;
    return { stream: Readable.from([part]), size: data.length, range };
  }

  async delete(key: string): Promise<void> {
    this.objects.delete(key);
  }

  async exists(key: string): Promise<boolean> {
    return this.objects.has(key);
  }
}

/** Just enough of `Repository<UploadEntity>` for UploadsService: insert and findOne by columns. */
export class MemoryUploadRepository {
  readonly rows: UploadEntity[] = [];
  failNextInsert = false;

  async insert(row: Omit<UploadEntity, 'id' | 'createdAt'>): Promise<void> {
    if (this.failNextInsert) {
      this.failNextInsert = false;
      throw new Error('database is down');
    }
    this.rows.push({ ...row, id: `id-${this.rows.length + 1}`, createdAt: new Date() });
  }

  async findOwned(originalKey: string, ownerId: string): Promise<UploadEntity | null> {
    return this.rows.find((r) => r.originalKey === originalKey && r.ownerId === ownerId) ?? null;
  }

  /** Conversation sharing is the SQL's business (integration specs): here, uploaders only. */
  async findReadable(key: string, userId: string): Promise<UploadEntity | null> {
    return (
      this.rows.find(
        (r) => (r.originalKey === key || r.thumbnailKey === key) && r.ownerId === userId,
      ) ?? null
    );
  }

  asRepository(): UploadsRepository {
    return this as unknown as UploadsRepository;
  }
}
