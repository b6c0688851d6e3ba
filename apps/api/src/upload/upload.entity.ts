import type { ImageMimeType } from '@chat/shared-dto';
import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** Who uploaded what: the ownership check of image messages reads it. */
@Entity('uploads')
@Index('uploads_owner_id_idx', ['ownerId', 'createdAt'])
export class UploadEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'owner_id', type: 'uuid' })
  ownerId!: string;

  /** Storage key of the re-encoded original; also the last segment of its URL. */
  @Index('uploads_original_key_uq', { unique: true })
  @Column({ name: 'original_key', type: 'varchar', length: 64 })
  originalKey!: string;

  @Index('uploads_thumbnail_key_uq', { unique: true })
  @Column({ name: 'thumbnail_key', type: 'varchar', length: 64 })
  thumbnailKey!: string;

  /** Type of the stored original (what the API encoded, never what the client claimed). */
  @Column({ name: 'mime_type', type: 'varchar', length: 16 })
  mimeType!: ImageMimeType;

  /** Of one frame, after EXIF orientation. */
  @Column({ type: 'integer' })
  width!: number;

  @Column({ type: 'integer' })
  height!: number;

  /** Bytes stored for the original. */
  @Column({ type: 'integer' })
  size!: number;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
