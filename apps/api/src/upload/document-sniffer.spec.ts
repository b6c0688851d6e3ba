import { buildZip, OFFICE_ZIPS, PDF_HTML_POLYGLOT, zipBomb } from '../../test/upload/zip-fixtures';
import { sniffDocument } from './document-sniffer';
import { MAX_ZIP_ENTRIES } from './upload.constants';

describe('sniffDocument', () => {
  it('recognises a PDF by its header, a PDF + HTML polyglot included (served as a download)', async () => {
    await expect(sniffDocument(Buffer.from('%PDF-1.7\n...'))).resolves.toEqual({
      ok: true,
      mimeType: 'application/pdf',
    });
    await expect(sniffDocument(PDF_HTML_POLYGLOT)).resolves.toEqual({
      ok: true,
      mimeType: 'application/pdf',
    });
  });

  it.each([
    ['docx', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document'],
    ['xlsx', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'],
    ['pptx', 'application/vnd.openxmlformats-officedocument.presentationml.presentation'],
    ['odt', 'application/vnd.oasis.opendocument.text'],
    ['ods', 'application/vnd.oasis.opendocument.spreadsheet'],
    ['odp', 'application/vnd.oasis.opendocument.presentation'],
  ] as const)('recognises %s from the zip directory', async (format, mimeType) => {
    await expect(sniffDocument(OFFICE_ZIPS[format]())).resolves.toEqual({ ok: true, mimeType });
  });

  it('takes a zip without the expected parts for a plain zip', async () => {
    const zip = buildZip([{ name: 'word/document.xml', data: 'no content types' }]);
    await expect(sniffDocument(zip)).resolves.toEqual({ ok: true, mimeType: 'application/zip' });
  });

  it('refuses a zip bomb from its declared sizes, without inflating it', async () => {
    const bomb = zipBomb();
    expect(bomb.length).toBeLessThan(4096);
    await expect(sniffDocument(bomb)).resolves.toEqual({ ok: false, reason: 'bomb' });
  });

  it('refuses a zip declaring too many entries', async () => {
    const many = buildZip(
      Array.from({ length: MAX_ZIP_ENTRIES + 1 }, (_v, i) => ({ name: `${i}`, data: '' })),
    );
    await expect(sniffDocument(many)).resolves.toEqual({ ok: false, reason: 'bomb' });
  });

  it('refuses a zip with a script appended after its directory (ZIP + JS polyglot)', async () => {
    const polyglot = Buffer.concat([
      buildZip([{ name: 'a.txt', data: 'hello' }]),
      Buffer.from('\n<script>alert(1)</script>'),
    ]);
    await expect(sniffDocument(polyglot)).resolves.toEqual({ ok: false, reason: 'unsupported' });
  });

  it('tells CSV from plain text, and refuses binary, executables and bad UTF-8', async () => {
    await expect(sniffDocument(Buffer.from('a,b,c\n1,2,3\n4,5,6\n'))).resolves.toEqual({
      ok: true,
      mimeType: 'text/csv',
    });
    await expect(sniffDocument(Buffer.from('héllo, world\nsecond line'))).resolves.toEqual({
      ok: true,
      mimeType: 'text/plain',
    });
    for (const bytes of [
      Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0, 0, 0]),
      Buffer.from('MZ\x90\x00\x03\x00\x00\x00', 'latin1'),
      Buffer.from([0xc3, 0x28]),
      Buffer.from('text with a \x00 NUL'),
    ]) {
      await expect(sniffDocument(bytes)).resolves.toEqual({ ok: false, reason: 'unsupported' });
    }
  });
});
