import { ApiProperty } from '@nestjs/swagger';
import type { AttachmentKind, UploadMimeType, UploadView } from '@chat/shared-dto';

/** Swagger's picture of `UploadView` (shared-dto cannot carry `@nestjs/swagger` decorators). */
export class UploadResponse implements UploadView {
  @ApiProperty({
    example: '/api/uploads/5f0c6d1e9a4b4c2f8e7d6a5b4c3d2e1f.jpg',
    description: 'Send this as `fileUrl` of an image (or, for documents, file) message',
  })
  url!: string;

  @ApiProperty({
    enum: ['image', 'file', 'voice'],
    description: 'From the bytes: image, document or voice recording',
  })
  kind!: AttachmentKind;

  @ApiProperty({
    example: 'report.pdf',
    description: 'The uploaded file name without path, control or bidi characters, cut to 120',
  })
  name!: string;

  @ApiProperty({
    required: false,
    example: '/api/uploads/5f0c6d1e9a4b4c2f8e7d6a5b4c3d2e1f-thumb.webp',
    description: 'Images: WebP within 320x320',
  })
  thumbnailUrl?: string;

  @ApiProperty({
    required: false,
    example: 1280,
    description: 'Images: pixels, after EXIF orientation',
  })
  width?: number;

  @ApiProperty({ required: false, example: 960 })
  height?: number;

  @ApiProperty({ required: false, example: 4_250, description: 'Voice: read from the media data' })
  durationMs?: number;

  @ApiProperty({
    required: false,
    type: [Number],
    description: 'Voice: 64 levels in 0..1, when the client sent them',
  })
  waveform?: number[];

  @ApiProperty({ example: 183_402, description: 'Bytes stored (of the re-encoded image)' })
  size!: number;

  @ApiProperty({ example: 'image/jpeg', description: 'Recognised from the bytes' })
  mimeType!: UploadMimeType;
}
