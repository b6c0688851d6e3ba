import { Readable } from 'node:stream';
import type { FindOneOptions, Repository } from 'typeorm';
import { FileStorage, StoredObject } from '../../src/upload/file-storage';
import { UploadEntity } from '../../src/upload/upload.entity';

/** A `FileStorage` in a Map, for tests that need no disk. */
export class MemoryStorage implements FileStorage {
  readonly objects = new Map<string, Buffer>();

  async put(key: string, data: Buffer): Promise<void> {
    this.objects.set(key, data);
  }

  async get(key: string): Promise<StoredObject | null> {
    const data = this.objects.get(key);
    return data ? { stream: Readable.from([data]), size: data.length } : null;
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

  async findOne(options: FindOneOptions<UploadEntity>): Promise<UploadEntity | null> {
    const where = options.where as Partial<UploadEntity>;
    return (
      this.rows.find((row) =>
        Object.entries(where).every(([key, value]) => row[key as keyof UploadEntity] === value),
      ) ?? null
    );
  }

  asRepository(): Repository<UploadEntity> {
    return this as unknown as Repository<UploadEntity>;
  }
}
