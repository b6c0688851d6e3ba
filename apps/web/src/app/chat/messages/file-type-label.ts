import type { UploadMimeType } from '@chat/shared-dto';

const LABELS: Partial<Record<UploadMimeType, string>> = {
  'application/pdf': 'PDF',
  'text/plain': 'TXT',
  'text/csv': 'CSV',
  'application/zip': 'ZIP',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'DOC',
  'application/vnd.oasis.opendocument.text': 'DOC',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': 'XLS',
  'application/vnd.oasis.opendocument.spreadsheet': 'XLS',
  'application/vnd.openxmlformats-officedocument.presentationml.presentation': 'PPT',
  'application/vnd.oasis.opendocument.presentation': 'PPT',
};

/** The short type badge of a file card (the server's type, never the name's extension). */
export function fileTypeLabel(mimeType: UploadMimeType | null): string {
  return (mimeType && LABELS[mimeType]) || 'FILE';
}

/**
 * The badge of a file still on the sender's device, before the server has typed it: its own
 * extension is all there is, and only the sender sees it.
 */
export function extensionLabel(name: string): string {
  const extension = /\.([a-z0-9]{1,4})$/i.exec(name)?.[1];
  return extension ? extension.toUpperCase() : 'FILE';
}
