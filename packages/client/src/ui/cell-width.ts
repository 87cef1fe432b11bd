/**
 * How many terminal cells a piece of text takes, the way terminals count: code point by code
 * point (wcwidth), which is what tmux 3.3, xterm, VTE and the Linux console do.
 *
 * string-width, which Ink measures with, counts a whole grapheme cluster as the width of its first
 * character (2 for an RGI emoji), so the two disagree on clusters of several visible code points:
 * 👍🏽 is 2 for Ink and 4 for tmux (the skin tone is a wide character of its own), ❤️ 2 and 1
 * (VS16 draws nothing), क्षि (a Devanagari conjunct) 2 and 3. The client lays text out with this
 * count, hands Ink text whose emoji it has made unambiguous (drawn-text.ts), and has Ink place
 * cells by this count too (patches/ink-cell-width.ts), so Ink, the layout and the terminal agree.
 *
 * The rules, each measured in tmux 3.3a (test/ui/cell-width.test.ts keeps the table):
 * - a code point is as wide as string-width says for it alone: 2 for East Asian Wide and
 *   Fullwidth (CJK, emoji with emoji presentation, skin-tone modifiers), 0 for combining marks,
 *   format characters and variation selectors, else 1;
 * - Hangul medial vowels and final consonants (U+1160-U+11FF, U+D7B0-U+D7FF) are 0: they join the
 *   syllable before them;
 * - a non-ASCII code point after a ZWJ (U+200D) joins the one before it and takes no cells
 *   (tmux 3.3 draws 👨‍👩‍👧 in 2 cells, as every terminal that knows the sequence does; tmux
 *   still gives ASCII after a ZWJ its cell).
 * Unlike string-width's, this count adds up: the width of a + b is width(a) + width(b), wherever
 * a text is cut (except right after a ZWJ, which never ends a kept sequence).
 */
import stringWidth from 'string-width';

const ZWJ = 0x200d;

/** Widths of the code points seen (bounded: a message can hold thousands of distinct ones). */
const cache = new Map<number, number>();
const CACHE_LIMIT = 20_000;

/** Cells one code point takes on its own. */
export function codePointWidth(cp: number): number {
  if (cp >= 0x20 && cp < 0x7f) return 1;
  let w = cache.get(cp);
  if (w === undefined) {
    if ((cp >= 0x1160 && cp <= 0x11ff) || (cp >= 0xd7b0 && cp <= 0xd7ff)) w = 0;
    else w = stringWidth(String.fromCodePoint(cp));
    if (cache.size >= CACHE_LIMIT) cache.clear();
    cache.set(cp, w);
  }
  return w;
}

/** Cells a text takes in a terminal (already sanitised: no control characters). */
export function cellWidth(text: string): number {
  let width = 0;
  let joined = false;
  for (let i = 0; i < text.length; i++) {
    const cp = text.codePointAt(i)!;
    if (cp > 0xffff) i++;
    if (joined) {
      joined = false;
      if (cp >= 0x80) continue;
    }
    if (cp === ZWJ) {
      joined = true;
      continue;
    }
    width += codePointWidth(cp);
  }
  return width;
}
