import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, Repository } from 'typeorm';
import { UPLOADS_PATH } from './upload-name';
import { UploadEntity } from './upload.entity';

export type NewUpload = Omit<UploadEntity, 'id' | 'createdAt'>;

/** Every SQL on `uploads`: who uploaded which stored file. */
@Injectable()
export class UploadsRepository {
  constructor(@InjectRepository(UploadEntity) private readonly uploads: Repository<UploadEntity>) {}

  async insert(upload: NewUpload): Promise<void> {
    await this.uploads.insert(upload);
  }

  findOwned(originalKey: string, ownerId: string): Promise<UploadEntity | null> {
    return this.uploads.findOne({ where: { originalKey, ownerId } });
  }

  findByOriginalKey(originalKey: string): Promise<UploadEntity | null> {
    return this.uploads.findOne({ where: { originalKey } });
  }

  /**
   * The upload `userId` may fetch as the stored object `key` (an original or its thumbnail): they
   * uploaded it, or they are now a member of a conversation where a live message carries it.
   * The one read of other modules' tables here, on purpose: the messages module depends on this
   * one (image ownership), so asking it back would be a cycle, and one statement answers the
   * question atomically, a removed member or a deleted message taking effect at once.
   */
  async findReadable(key: string, userId: string): Promise<UploadEntity | null> {
    const rows = await this.uploads.query<{ id: string }[]>(
      `SELECT u.id FROM uploads u
        WHERE (u.original_key = $1 OR u.thumbnail_key = $1)
          AND (u.owner_id = $2 OR EXISTS (
            SELECT 1 FROM messages m
              JOIN conversation_members cm
                ON cm.conversation_id = m.conversation_id AND cm.user_id = $2
             WHERE m.file_url = $3 || u.original_key AND m.deleted_at IS NULL))
        LIMIT 1`,
      [key, userId, UPLOADS_PATH],
    );
    return rows.length > 0 ? this.uploads.findOne({ where: { id: rows[0].id } }) : null;
  }

  findByOriginalKeys(originalKeys: string[]): Promise<UploadEntity[]> {
    return this.uploads.find({ where: { originalKey: In(originalKeys) } });
  }

  async delete(id: string): Promise<void> {
    await this.uploads.delete({ id });
  }
}
