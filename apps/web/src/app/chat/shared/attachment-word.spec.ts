import { attachmentWord } from './attachment-word';

describe('attachmentWord', () => {
  it('names photos, documents and voice notes, and nothing else', () => {
    expect(attachmentWord('image')).toBe('Photo');
    expect(attachmentWord('file', { name: 'q3.pdf' })).toBe('File: q3.pdf');
    expect(attachmentWord('file', null)).toBe('File');
    expect(attachmentWord('voice')).toBe('Voice message');
    expect(attachmentWord('text')).toBe('');
  });
});
