import { fold, searchTerms } from './search-terms';

const SEGMENT = /[\p{L}\p{N}]+|[^\p{L}\p{N}]+/gu;
const CONTEXT = 60;
const MAX_LENGTH = 200;

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]);
}

/**
 * An excerpt of `content` around its first match, HTML-escaped piece by piece, with the
 * words that match a term (the last term also as a prefix) wrapped in `<mark>`. The marks are
 * the only markup in the result: nothing from the content can become a tag.
 */
export function snippet(content: string, query: string): string {
  const terms = searchTerms(query).map(fold);
  const last = terms.length - 1;
  const matches = (word: string): boolean => {
    const folded = fold(word);
    return terms.some((t, i) => folded === t || (i === last && folded.startsWith(t)));
  };
  const segments = content.match(SEGMENT) ?? [];
  let offset = 0;
  let firstMatch = -1;
  const parts = segments.map((text) => {
    const part = { text, start: offset, hit: /[\p{L}\p{N}]/u.test(text) && matches(text) };
    if (part.hit && firstMatch < 0) firstMatch = offset;
    offset += text.length;
    return part;
  });
  const from = Math.max(0, (firstMatch < 0 ? 0 : firstMatch) - CONTEXT);
  const to = from + MAX_LENGTH;
  let out = from > 0 ? '…' : '';
  for (const part of parts) {
    const end = part.start + part.text.length;
    if (end <= from || part.start >= to) continue;
    const visible = part.text.slice(Math.max(0, from - part.start), to - part.start);
    out += part.hit ? `<mark>${escapeHtml(visible)}</mark>` : escapeHtml(visible);
  }
  return to < content.length ? `${out}…` : out;
}
