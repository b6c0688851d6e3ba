import type { AttachmentKind, UploadMimeType } from '@chat/shared-dto';
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

const IMAGE_TYPES = `'image/jpeg', 'image/png', 'image/gif', 'image/webp'`;
const DOCUMENT_TYPES = `'application/pdf', 'text/plain', 'text/csv', 'application/zip',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  'application/vnd.openxmlformats-officedocument.presentationml.presentation',
  'application/vnd.oasis.opendocument.text', 'application/vnd.oasis.opendocument.spreadsheet',
  'application/vnd.oasis.opendocument.presentation'`;
const VOICE_TYPES = `'audio/webm', 'audio/ogg', 'audio/mp4', 'audio/mpeg'`;

/** Who uploaded what: the ownership check of attachment messages and file access read it. */
@Entity('uploads')
@Check('uploads_kind_check', `kind IN ('image', 'file', 'voice')`)
@Check(
  'uploads_mime_type_check',
  `(kind = 'image' AND mime_type IN (${IMAGE_TYPES})) OR
          (kind = 'file' AND mime_type IN (${DOCUMENT_TYPES}, 'application/octet-stream')) OR
          (kind = 'voice' AND mime_type IN (${VOICE_TYPES}))`,
)
@Check(
  'uploads_voice_check',
  `kind <> 'voice' OR (duration_ms > 0 AND (waveform IS NULL OR cardinality(waveform) = 64))`,
)
@Check(
  'uploads_image_check',
  `kind <> 'image' OR (width > 0 AND height > 0 AND thumbnail_key IS NOT NULL)`,
)
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

  /** Images only. */
  @Index('uploads_thumbnail_key_uq', { unique: true })
  @Column({ name: 'thumbnail_key', type: 'varchar', length: 64, nullable: true })
  thumbnailKey!: string | null;

  @Column({ type: 'varchar', length: 8, default: 'image' })
  kind!: AttachmentKind;

  /** The uploader's file name, sanitised (`file-name.ts`); null for images stored before it. */
  @Column({ type: 'varchar', length: 255, nullable: true })
  name!: string | null;

  /** Type of the stored original (what the API encoded or recognised, never what the client claimed). */
  @Column({ name: 'mime_type', type: 'varchar', length: 100 })
  mimeType!: UploadMimeType;

  /** Images only: of one frame, after EXIF orientation. */
  @Column({ type: 'integer', nullable: true })
  width!: number | null;

  @Column({ type: 'integer', nullable: true })
  height!: number | null;

  /** Voice only: read by the server from the media data, never taken from the client. */
  @Column({ name: 'duration_ms', type: 'integer', nullable: true })
  durationMs!: number | null;

  /** Voice only: `WAVEFORM_BARS` levels in 0..1 as the recording client measured them. */
  @Column({ type: 'real', array: true, nullable: true })
  waveform!: number[] | null;

  /** Bytes stored for the original. */
  @Column({ type: 'integer' })
  size!: number;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
