export type TextSegment =
  | { kind: 'text'; text: string }
  | { kind: 'link'; text: string; href: string }
  /** `@username` of a member (see mentions.ts); `self` when it names the viewer. */
  | { kind: 'mention'; text: string; userId: string; self: boolean };

const URL_CANDIDATE = /\bhttps?:\/\/[^\s<>"'`]+/gi;
const TRAILING = /[.,;:!?'"»)\]}]+$/;

/** Drops punctuation that ends a sentence rather than a URL, keeping balanced parentheses. */
function trimUrl(candidate: string): string {
  let url = candidate;
  for (;;) {
    const match = TRAILING.exec(url);
    if (!match) return url;
    const last = url[url.length - 1];
    if (last === ')' && count(url, '(') >= count(url, ')')) return url;
    if (last === ']' && count(url, '[') >= count(url, ']')) return url;
    url = url.slice(0, -1);
  }
}

function count(text: string, char: string): number {
  return text.split(char).length - 1;
}

function safeHref(text: string): string | null {
  try {
    const url = new URL(text);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : null;
  } catch {
    return null;
  }
}

/**
 * Splits message text into plain text and http(s) links. The result is rendered with
 * interpolation only, so nothing in a message is ever parsed as HTML.
 */
export function segmentText(text: string): TextSegment[] {
  const segments: TextSegment[] = [];
  let index = 0;
  for (const match of text.matchAll(URL_CANDIDATE)) {
    const start = match.index ?? 0;
    const raw = trimUrl(match[0]);
    const href = safeHref(raw);
    if (!href) continue;
    if (start > index) segments.push({ kind: 'text', text: text.slice(index, start) });
    segments.push({ kind: 'link', text: raw, href });
    index = start + raw.length;
  }
  if (index < text.length) segments.push({ kind: 'text', text: text.slice(index) });
  return mergeText(segments);
}

function mergeText(segments: TextSegment[]): TextSegment[] {
  const merged: TextSegment[] = [];
  for (const segment of segments) {
    const previous = merged[merged.length - 1];
    if (segment.kind === 'text' && previous?.kind === 'text') previous.text += segment.text;
    else merged.push({ ...segment });
  }
  return merged;
}
