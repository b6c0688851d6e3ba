export type ImageMimeType = 'image/jpeg' | 'image/png' | 'image/gif' | 'image/webp';

export interface UploadView {
  url: string;
  thumbnailUrl: string;
  width: number;
  height: number;
  size: number;
  mimeType: ImageMimeType;
}
