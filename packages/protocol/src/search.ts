/**
 * Message search (`search:run`): its limits, and the words a query is made of. The server builds
 * its index query from `searchTerms` only, never from the raw text, so no index syntax (FTS5's
 * `"`, `*`, `NEAR(`, `OR`, `^`, tsquery's `:`, `&`, `!`) can reach the store; the client uses the
 * same function to highlight what matched.
 */

/** Characters a query may have. */
export const SEARCH_QUERY_MAX = 200;
/** Words of a query that count (the rest are dropped). */
export const SEARCH_TERMS_MAX = 8;
/** Characters of one word that count (a longer word is cut). */
export const SEARCH_TERM_LENGTH_MAX = 64;
/** Messages per page: the default, and the most a page holds. */
export const SEARCH_PAGE_DEFAULT = 20;
export const SEARCH_PAGE_MAX = 100;

// A word: letters, digits, `_`, and the combining marks that are part of letters in many scripts
// (Devanagari's vowel signs, Thai's, Arabic's harakat): without them "हिन्दी" would be three words.
const WORD = /[\p{L}\p{M}\p{N}_]+/gu;
// A run that holds no letter or digit ("_", a lone mark) is not a word to look for.
const HAS_LETTER_OR_DIGIT = /[\p{L}\p{N}]/u;

/**
 * The words to search for in `query`: NFKC, lower case, runs of letters and digits (and `_`), each
 * cut to SEARCH_TERM_LENGTH_MAX characters, without repeats, the first SEARCH_TERMS_MAX. Every one
 * must match, each as the start of a word. Empty: nothing to search for.
 */
export function searchTerms(query: string): string[] {
  const terms: string[] = [];
  for (const [run] of query.normalize('NFKC').toLowerCase().matchAll(WORD)) {
    if (!HAS_LETTER_OR_DIGIT.test(run)) continue;
    const term = Array.from(run).slice(0, SEARCH_TERM_LENGTH_MAX).join('');
    if (terms.includes(term)) continue;
    terms.push(term);
    if (terms.length === SEARCH_TERMS_MAX) break;
  }
  return terms;
}
