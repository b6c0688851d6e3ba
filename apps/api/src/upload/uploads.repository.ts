import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
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

  async delete(id: string): Promise<void> {
    await this.uploads.delete({ id });
  }
}
