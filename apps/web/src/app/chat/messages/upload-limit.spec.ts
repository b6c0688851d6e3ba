import { checkImage } from './upload.api';
import {
  DEFAULT_MAX_UPLOAD_BYTES,
  formatBytes,
  limitFromMessage,
  readUploadLimit,
  rememberUploadLimit,
} from './upload-limit';

function file(name: string, type: string, size: number): File {
  const blob = new File([new Uint8Array(1)], name, { type });
  Object.defineProperty(blob, 'size', { value: size });
  return blob;
}

describe('upload limit', () => {
  afterEach(() => localStorage.clear());

  it('refuses an image over the limit before uploading, and says the limit', () => {
    const big = file('holiday.jpg', 'image/jpeg', 6.3 * 1024 * 1024);
    expect(checkImage(big, DEFAULT_MAX_UPLOAD_BYTES)).toBe(
      'holiday.jpg is 6.3 MB; images can be up to 5 MB.',
    );
    expect(checkImage(file('ok.png', 'image/png', 1024), DEFAULT_MAX_UPLOAD_BYTES)).toBeNull();
    expect(checkImage(file('doc.pdf', 'application/pdf', 10), DEFAULT_MAX_UPLOAD_BYTES)).toMatch(
      /Only JPEG/,
    );
  });

  it('reads the limit the server states in a 413', () => {
    expect(limitFromMessage('The file is larger than 5 MiB')).toBe(5 * 1024 * 1024);
    expect(limitFromMessage('The file is larger than 1500000 bytes')).toBe(1_500_000);
    expect(limitFromMessage('Payload Too Large')).toBeNull();
  });

  it('remembers a limit that differs from the default', () => {
    expect(readUploadLimit()).toBe(DEFAULT_MAX_UPLOAD_BYTES);
    rememberUploadLimit(2 * 1024 * 1024);
    expect(readUploadLimit()).toBe(2 * 1024 * 1024);
    expect(checkImage(file('a.png', 'image/png', 3 * 1024 * 1024))).toMatch(/up to 2 MB/);
    rememberUploadLimit(DEFAULT_MAX_UPLOAD_BYTES);
    expect(localStorage.getItem('chat.uploadLimit')).toBeNull();
  });

  it('formats sizes', () => {
    expect(formatBytes(5 * 1024 * 1024)).toBe('5 MB');
    expect(formatBytes(1.5 * 1024 * 1024)).toBe('1.5 MB');
    expect(formatBytes(800 * 1024)).toBe('800 KB');
  });
});
