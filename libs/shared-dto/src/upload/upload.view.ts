export type ImageMimeType = 'image/jpeg' | 'image/png' | 'image/gif' | 'image/webp';

/** Documents accepted as `kind: 'file'`, recognised from their bytes. */
export type DocumentMimeType =
  | 'application/pdf'
  | 'text/plain'
  | 'text/csv'
  | 'application/zip'
  | 'application/vnd.openxmlformats-officedocument.wordprocessingml.document'
  | 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'
  | 'application/vnd.openxmlformats-officedocument.presentationml.presentation'
  | 'application/vnd.oasis.opendocument.text'
  | 'application/vnd.oasis.opendocument.spreadsheet'
  | 'application/vnd.oasis.opendocument.presentation';

export type UploadMimeType = ImageMimeType | DocumentMimeType;

export type AttachmentKind = 'image' | 'file' | 'voice';

/** What a message carries (`message.attachment`); image messages keep `fileUrl` as well. */
export interface AttachmentView {
  url: string;
  kind: AttachmentKind;
  /** The original file name, sanitised (no path, control or bidi characters). */
  name: string;
  size: number;
  mimeType: UploadMimeType;
  width?: number;
  height?: number;
  thumbnailUrl?: string;
  durationMs?: number;
  /** 64 numbers in 0..1. */
  waveform?: number[];
}

/** The answer of `POST /api/upload`. Images have `thumbnailUrl`, `width` and `height`. */
export interface UploadView extends AttachmentView {
  thumbnailUrl?: string;
}

/** `UploadView` of an image: always with its thumbnail and pixel size. */
export interface ImageUploadView extends UploadView {
  kind: 'image';
  mimeType: ImageMimeType;
  thumbnailUrl: string;
  width: number;
  height: number;
}
