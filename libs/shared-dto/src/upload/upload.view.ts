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

/** Voice recordings accepted as `kind: 'voice'`: opus in WebM or Ogg, AAC (or opus) in MP4, MP3. */
export type VoiceMimeType = 'audio/webm' | 'audio/ogg' | 'audio/mp4' | 'audio/mpeg';

/** A file encrypted on the client (`POST /api/upload?encrypted=true`): opaque to the server. */
export type EncryptedMimeType = 'application/octet-stream';
export const ENCRYPTED_MIME_TYPE: EncryptedMimeType = 'application/octet-stream';

export type UploadMimeType = ImageMimeType | DocumentMimeType | VoiceMimeType | EncryptedMimeType;

/** Bars of a voice message's waveform (`attachment.waveform`), each a level in 0..1. */
export const WAVEFORM_BARS = 64;

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
  /** Voice: the length the server read from the recording itself. */
  durationMs?: number;
  /** Voice: `WAVEFORM_BARS` numbers in 0..1, as the recording client measured them. */
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
