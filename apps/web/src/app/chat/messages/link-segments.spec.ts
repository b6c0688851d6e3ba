import { segmentText } from './link-segments';

describe('segmentText', () => {
  it('splits text and http(s) links', () => {
    expect(segmentText('see https://example.com/a?b=1 and http://x.io.')).toEqual([
      { kind: 'text', text: 'see ' },
      { kind: 'link', text: 'https://example.com/a?b=1', href: 'https://example.com/a?b=1' },
      { kind: 'text', text: ' and ' },
      { kind: 'link', text: 'http://x.io', href: 'http://x.io/' },
      { kind: 'text', text: '.' },
    ]);
  });

  it('keeps balanced parentheses of a URL and drops a closing one of the sentence', () => {
    expect(segmentText('(https://en.wikipedia.org/wiki/Foo_(bar))')[1]).toEqual({
      kind: 'link',
      text: 'https://en.wikipedia.org/wiki/Foo_(bar)',
      href: 'https://en.wikipedia.org/wiki/Foo_(bar)',
    });
  });

  it('never links other schemes', () => {
    const text = 'javascript:alert(1) data:text/html,<b>x</b> ftp://host/file';
    expect(segmentText(text)).toEqual([{ kind: 'text', text }]);
  });

  it('leaves HTML as plain text segments', () => {
    const text = '<img src=x onerror=alert(1)> <script>alert(1)</script>';
    expect(segmentText(text)).toEqual([{ kind: 'text', text }]);
  });

  it('does not let markup leak into a link', () => {
    const segments = segmentText('https://a.com/"><script>alert(1)</script>');
    expect(segments[0]).toEqual({ kind: 'link', text: 'https://a.com/', href: 'https://a.com/' });
    expect(segments.slice(1).every((s) => s.kind === 'text')).toBe(true);
  });

  it('handles empty and link-only text', () => {
    expect(segmentText('')).toEqual([]);
    expect(segmentText('https://a.b')).toEqual([
      { kind: 'link', text: 'https://a.b', href: 'https://a.b/' },
    ]);
  });
});
