/** Letters and digits of any script: everything else separates words and is never syntax. */
const WORD = /[\p{L}\p{N}]+/gu;
const MAX_TERMS = 8;

/** The words of a query, as typed (accents and case are folded by the database and `fold`). */
export function searchTerms(query: string): string[] {
  return (query.normalize('NFC').match(WORD) ?? []).slice(0, MAX_TERMS);
}

/**
 * A `to_tsquery` text that can never be a syntax error: every term is a quoted lexeme of
 * letters and digits only, all of them required, the last one also as a prefix (search as you
 * type: "deplo" finds "deployment").
 */
export function tsQueryText(terms: string[]): string {
  return terms.map((t, i) => `'${t}'${i === terms.length - 1 ? ':*' : ''}`).join(' & ');
}

/** Case and accent folded, as the `chat_search` configuration (`unaccent`, `simple`) does. */
export function fold(word: string): string {
  return word.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
}
