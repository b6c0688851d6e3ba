import type { DocumentMimeType } from '@chat/shared-dto';
import { fromBuffer, type Entry, type ZipFile } from 'yauzl';
import {
  MAX_ZIP_ENTRIES,
  MAX_ZIP_EXPANSION_RATIO,
  MAX_ZIP_UNCOMPRESSED_BYTES,
} from './upload.constants';

/** A document the bytes prove to be one of the accepted kinds, or why they are refused. */
export type DocumentVerdict =
  { ok: true; mimeType: DocumentMimeType } | { ok: false; reason: 'unsupported' | 'bomb' };

const OOXML_MAIN_PART: Record<string, DocumentMimeType> = {
  'word/document.xml': 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  'xl/workbook.xml': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  'ppt/presentation.xml':
    'application/vnd.openxmlformats-officedocument.presentationml.presentation',
};
const ODF_TYPES = new Set<string>([
  'application/vnd.oasis.opendocument.text',
  'application/vnd.oasis.opendocument.spreadsheet',
  'application/vnd.oasis.opendocument.presentation',
]);

const ascii = (bytes: Buffer, start: number, end: number): string =>
  bytes.subarray(start, end).toString('latin1');

/**
 * Recognises the accepted documents from their bytes alone (never the name or the client's
 * type): PDF by its header, zip-based formats by their central directory, plain UTF-8 text.
 * Archives are never inflated: only the directory's declared sizes are read, and an archive
 * declaring too many entries, too many bytes or too steep a ratio is a bomb. Everything else
 * (executables, HTML, SVG, scripts...) is `unsupported`.
 */
export async function sniffDocument(bytes: Buffer): Promise<DocumentVerdict> {
  if (ascii(bytes, 0, 5) === '%PDF-') return { ok: true, mimeType: 'application/pdf' };
  if (ascii(bytes, 0, 4) === 'PK\x03\x04' || ascii(bytes, 0, 4) === 'PK\x05\x06') {
    return sniffZip(bytes);
  }
  const text = textType(bytes);
  return text ? { ok: true, mimeType: text } : { ok: false, reason: 'unsupported' };
}

/** Plain text: valid UTF-8 without NUL or other C0 controls than tab, CR, LF and FF. */
function textType(bytes: Buffer): 'text/plain' | 'text/csv' | null {
  let decoded: string;
  try {
    decoded = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return null;
  }
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u0008\u000b\u000e-\u001f\u007f]/.test(decoded)) return null;
  return looksLikeCsv(decoded) ? 'text/csv' : 'text/plain';
}

/** Two or more lines with the same, non-zero number of commas (or semicolons, or tabs). */
function looksLikeCsv(text: string): boolean {
  const lines = text
    .split(/\r?\n/)
    .filter((line) => line.length > 0)
    .slice(0, 50);
  if (lines.length < 2) return false;
  return [',', ';', '\t'].some((separator) => {
    const counts = lines.map((line) => line.split(separator).length - 1);
    return counts[0] > 0 && counts.every((n) => n === counts[0]);
  });
}

async function sniffZip(bytes: Buffer): Promise<DocumentVerdict> {
  let names: string[];
  try {
    const listed = await listEntries(bytes);
    if (listed === 'bomb') return { ok: false, reason: 'bomb' };
    names = listed;
  } catch {
    // A damaged directory, or bytes appended after it (a zip + script polyglot).
    return { ok: false, reason: 'unsupported' };
  }
  const set = new Set(names);
  if (set.has('[Content_Types].xml')) {
    for (const [part, mimeType] of Object.entries(OOXML_MAIN_PART)) {
      if (set.has(part)) return { ok: true, mimeType };
    }
  }
  // ODF: a first entry "mimetype", stored uncompressed, whose bytes follow its 30-byte local
  // header and 8-byte name: readable without inflating anything.
  if (names[0] === 'mimetype' && set.has('content.xml') && ascii(bytes, 30, 38) === 'mimetype') {
    const declared = ascii(bytes, 38, 38 + 64).match(
      /^application\/vnd\.oasis\.opendocument\.[a-z]+/,
    )?.[0];
    if (declared && ODF_TYPES.has(declared))
      return { ok: true, mimeType: declared as DocumentMimeType };
  }
  return { ok: true, mimeType: 'application/zip' };
}

/** The entry names from the central directory, or 'bomb' as soon as a limit is crossed. */
function listEntries(bytes: Buffer): Promise<string[] | 'bomb'> {
  return new Promise((resolve, reject) => {
    fromBuffer(
      bytes,
      { lazyEntries: true, validateEntrySizes: true, strictFileNames: false },
      (err: Error | null, zip?: ZipFile) => {
        if (err || !zip) return reject(err ?? new Error('no zip'));
        // The declared count comes from the end record: refuse before reading any entry.
        if (zip.entryCount > MAX_ZIP_ENTRIES) {
          zip.close();
          return resolve('bomb');
        }
        const names: string[] = [];
        let total = 0;
        zip.on('error', reject);
        zip.on('end', () => resolve(names));
        zip.on('entry', (entry: Entry) => {
          total += entry.uncompressedSize;
          const ratio = entry.uncompressedSize / Math.max(entry.compressedSize, 1);
          if (total > MAX_ZIP_UNCOMPRESSED_BYTES || ratio > MAX_ZIP_EXPANSION_RATIO) {
            zip.close();
            return resolve('bomb');
          }
          names.push(entry.fileName);
          zip.readEntry();
        });
        zip.readEntry();
      },
    );
  });
}
