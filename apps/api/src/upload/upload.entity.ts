import type { ImageMimeType } from '@chat/shared-dto';
import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  ForeignKey,
  Index,
  PrimaryGeneratedColumn,
} from 'typeorm';
import { UserEntity } from '../users/user.entity';

/** Who uploaded what: the ownership check of image messages reads it. */
@Entity('uploads')
@Check(
  'uploads_mime_type_check',
  `mime_type IN ('image/jpeg', 'image/png', 'image/gif', 'image/webp')`,
)
@Check('uploads_width_check', 'width > 0')
@Check('uploads_height_check', 'height > 0')
@Check('uploads_size_check', 'size > 0')
@Index('uploads_owner_id_idx', ['ownerId', 'createdAt'])
export class UploadEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @ForeignKey(() => UserEntity, { name: 'uploads_owner_id_fkey', onDelete: 'CASCADE' })
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
