import { attachmentDisposition, sanitiseFileName } from './file-name';
import { MAX_FILE_NAME_LENGTH } from './upload.constants';

describe('sanitiseFileName', () => {
  it.each([
    ['../../etc/passwd', 'passwd'],
    ['C:\\Users\\me\\report.pdf', 'report.pdf'],
    ['evil\u0000.pdf', 'evil.pdf'],
    ['invoice\u202Efdp.exe', 'invoicefdp.exe'],
    ['\u2067abc\u2069.txt', 'abc.txt'],
    ['...hidden', 'hidden'],
    ['  spaced name.docx  ', 'spaced name.docx'],
    ['', 'file.pdf'],
    ['/', 'file.pdf'],
    [undefined, 'file.pdf'],
  ])('%j -> %j', (raw, expected) => {
    expect(sanitiseFileName(raw, 'file.pdf')).toBe(expected);
  });

  it('cuts 300 characters to the limit and keeps the extension', () => {
    const name = sanitiseFileName(`${'é'.repeat(300)}.xlsx`, 'file');
    expect(Array.from(name)).toHaveLength(MAX_FILE_NAME_LENGTH);
    expect(name.endsWith('.xlsx')).toBe(true);
  });
});

describe('attachmentDisposition', () => {
  it('sends an ASCII fallback and the exact UTF-8 name', () => {
    expect(attachmentDisposition('résumé "final" 100%.pdf')).toBe(
      `attachment; filename="r_sum_ _final_ 100_.pdf"; filename*=UTF-8''r%C3%A9sum%C3%A9%20%22final%22%20100%25.pdf`,
    );
    expect(attachmentDisposition("it's (1).txt")).toBe(
      `attachment; filename="it's (1).txt"; filename*=UTF-8''it%27s%20%281%29.txt`,
    );
  });
});
