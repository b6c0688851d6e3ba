import { DEFAULT_MAX_ATTACHMENT_BYTES, checkAttachment } from './upload.api';
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

  const limits = { image: DEFAULT_MAX_UPLOAD_BYTES, attachment: DEFAULT_MAX_ATTACHMENT_BYTES };

  it('refuses an image over the image limit before uploading, and says the limit', () => {
    const big = file('holiday.jpg', 'image/jpeg', 6.3 * 1024 * 1024);
    expect(checkAttachment(big, limits)).toBe('holiday.jpg is 6.3 MB; images can be up to 5 MB.');
    expect(checkAttachment(file('ok.png', 'image/png', 1024), limits)).toBeNull();
  });

  it('lets documents and recordings up to the attachment limit, and nothing empty', () => {
    expect(
      checkAttachment(file('report.pdf', 'application/pdf', 20 * 1024 * 1024), limits),
    ).toBeNull();
    expect(checkAttachment(file('talk.mp3', 'audio/mpeg', 26 * 1024 * 1024), limits)).toBe(
      'talk.mp3 is 26 MB; files can be up to 25 MB.',
    );
    expect(checkAttachment(file('empty.txt', 'text/plain', 0), limits)).toBe('empty.txt is empty.');
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
    expect(checkAttachment(file('a.png', 'image/png', 3 * 1024 * 1024))).toMatch(/up to 2 MB/);
    rememberUploadLimit(DEFAULT_MAX_UPLOAD_BYTES);
    expect(localStorage.getItem('chat.uploadLimit')).toBeNull();
  });

  it('formats sizes', () => {
    expect(formatBytes(5 * 1024 * 1024)).toBe('5 MB');
    expect(formatBytes(1.5 * 1024 * 1024)).toBe('1.5 MB');
    expect(formatBytes(800 * 1024)).toBe('800 KB');
  });
});
