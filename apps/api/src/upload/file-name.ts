import { MAX_FILE_NAME_LENGTH } from './upload.constants';

/**
 * Characters never kept in a shown or downloaded name: C0/C1 controls (NUL included), and the
 * bidi controls that make "evil\u202Efdp.exe" display as "evilexe.pdf".
 */
// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/**
 * The client's file name made harmless for display and for `Content-Disposition`: only its
 * last path segment (either separator), no unsafe characters, no leading dots, at most
 * `MAX_FILE_NAME_LENGTH` characters with the extension kept; `fallback` when nothing is left.
 * It is only ever shown and sent back as a download name, never used as a storage key.
 */
export function sanitiseFileName(raw: string | undefined, fallback: string): string {
  const base = (raw ?? '').split(/[/\\]/).pop() ?? '';
  const cleaned = base.replace(UNSAFE, '').trim().replace(/^\.+/, '');
  if (!cleaned) return fallback;
  const chars = Array.from(cleaned);
  if (chars.length <= MAX_FILE_NAME_LENGTH) return cleaned;
  const dot = cleaned.lastIndexOf('.');
  const extension = dot > 0 ? Array.from(cleaned.slice(dot)).slice(0, 10).join('') : '';
  const stemLength = MAX_FILE_NAME_LENGTH - Array.from(extension).length;
  return chars.slice(0, stemLength).join('').trimEnd() + extension;
}

/**
 * `attachment` with the name twice: an ASCII fallback for old clients (non-ASCII and quotes
 * replaced) and the exact name as RFC 5987 `filename*`.
 */
export function attachmentDisposition(name: string): string {
  const fallback = name.replace(/[^\x20-\x7e]|["\\%]/g, '_');
  const encoded = encodeURIComponent(name).replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `attachment; filename="${fallback}"; filename*=UTF-8''${encoded}`;
}
