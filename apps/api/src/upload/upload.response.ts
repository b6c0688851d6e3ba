import { ApiProperty } from '@nestjs/swagger';
import type { ImageMimeType, UploadView } from '@chat/shared-dto';

/** Swagger's picture of `UploadView` (shared-dto cannot carry `@nestjs/swagger` decorators). */
export class UploadResponse implements UploadView {
  @ApiProperty({
    example: '/api/uploads/5f0c6d1e9a4b4c2f8e7d6a5b4c3d2e1f.jpg',
    description: 'Send this as `fileUrl` of an image message',
  })
  url!: string;

  @ApiProperty({
    example: '/api/uploads/5f0c6d1e9a4b4c2f8e7d6a5b4c3d2e1f-thumb.webp',
    description: 'WebP within 320x320',
  })
  thumbnailUrl!: string;

  @ApiProperty({ example: 1280, description: 'Pixels, after EXIF orientation' })
  width!: number;

  @ApiProperty({ example: 960 })
  height!: number;

  @ApiProperty({ example: 183_402, description: 'Bytes of the stored (re-encoded) original' })
  size!: number;

  @ApiProperty({ enum: ['image/jpeg', 'image/png', 'image/gif', 'image/webp'] })
  mimeType!: ImageMimeType;
}
