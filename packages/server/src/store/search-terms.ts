/**
 * The terms a store looks for. searchTerms' words pass unchanged; anything else a caller gives is
 * made safe and alike on both stores: every character but letters, marks, digits and `_` becomes
 * a space (a separator to both indexes, so never their syntax), and a term with no letter or digit
 * left is dropped (each index would read it differently: as nothing, or as matching nothing).
 */
export function storeTerms(terms: readonly string[]): string[] {
  return terms.map((t) => t.replace(/[^\p{L}\p{M}\p{N}_]+/gu, ' ').trim()).filter((t) => /[\p{L}\p{N}]/u.test(t));
}
