/**
 * Characters that must never sit in a single-line field (a subject, a name): they end up in mail
 * headers, where CR/LF injects headers, and in pages and logs, where control characters and
 * bidirectional overrides disguise text. C0 and C1 controls (tab, CR and LF included), the Unicode
 * line and paragraph separators, and the bidirectional embeddings, overrides and isolates.
 */

export const UNSAFE_IN_ONE_LINE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

const UNSAFE_RUNS = new RegExp(`${UNSAFE_IN_ONE_LINE.source}+`, 'g');

/** For text that cannot be refused (from a PSA or a mail): unsafe characters become one space. */
export function singleLine(text: string): string {
  return text.replace(UNSAFE_RUNS, ' ').replace(/ {2,}/g, ' ').trim();
}

/**
 * Lower case, accents and ligatures folded to ASCII, typographic apostrophes made plain: one
 * spelling per word, so "ça", "Ça" and "ca" are the same and patterns stay ASCII.
 */
export function foldText(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .replace(/ß/g, 'ss')
    .replace(/œ/gi, 'oe')
    .replace(/[\u2018\u2019\u02bc`]/g, "'")
    .toLowerCase();
}
