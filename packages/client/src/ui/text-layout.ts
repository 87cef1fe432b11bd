/**
 * Measuring, wrapping and cutting text by DISPLAY width (terminal cells), not by UTF-16 length:
 * CJK and emoji take two cells, combining marks none. Input must already be sanitised. A text is
 * measured as it is drawn (drawn-text.ts) and as terminals count it (cell-width.ts), so a row
 * laid out here is exactly as wide on screen.
 */
import { cellWidth } from './cell-width.js';
import { drawnCluster, drawnText } from './drawn-text.js';

const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;
const segmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/** Display width of a sanitised string. */
export function displayWidth(text: string): number {
  return PRINTABLE_ASCII.test(text) ? text.length : cellWidth(drawnText(text));
}

/** Display width of one grapheme cluster. */
function clusterWidth(cluster: string): number {
  return cluster.length === 1 && cluster < '\x7f' ? 1 : cellWidth(drawnCluster(cluster));
}

/** The grapheme clusters of a string (what a person sees as one character). */
export function graphemes(text: string): string[] {
  if (PRINTABLE_ASCII.test(text)) return text.split('');
  const out: string[] = [];
  for (const { segment } of segmenter.segment(text)) out.push(segment);
  return out;
}

/** Pads with spaces (or cuts) to exactly `width` cells. */
export function fitWidth(text: string, width: number): string {
  if (width <= 0) return '';
  const w = displayWidth(text);
  if (w === width) return text;
  if (w < width) return text + ' '.repeat(width - w);
  return truncateWidth(text, width);
}

/** Cuts to at most `width` cells, ending in "…" when something was cut. */
export function truncateWidth(text: string, width: number, ellipsis = '…'): string {
  if (width <= 0) return '';
  if (displayWidth(text) <= width) return text;
  const room = width - displayWidth(ellipsis);
  let out = '';
  let used = 0;
  for (const g of graphemes(text)) {
    const gw = clusterWidth(g);
    if (used + gw > room) break;
    out += g;
    used += gw;
  }
  // A wide character that did not fit leaves a one-cell hole: fill it so the width is exact.
  return out + ' '.repeat(Math.max(0, room - used)) + (room >= 0 ? ellipsis : '');
}

/**
 * Runs of spaces and runs of the rest. A space that carries a combining mark is part of the
 * word after it: cut apart, the mark would start a row alone, where it takes no cell.
 */
const TOKENS = / +(?![\p{Mn}\p{Me}])|(?: [\p{Mn}\p{Me}]|[^ ])+/gu;

/** A part of a text: offsets, end excluded. */
export interface Span {
  start: number;
  end: number;
}

/**
 * Wraps one line (no newlines) into rows of at most `width` cells, as spans of the line. Breaks
 * after spaces when it can, inside a word when a word is longer than a row. Never splits a
 * grapheme. The spaces at a break are dropped, the way every chat client does it. A word that
 * overlaps one of `whole` (web addresses) and is longer than a row gets rows of its own, so the
 * address is not cut by the end of a row of text. An empty line gives one empty row. Rows are at
 * most `width` wide when width >= 3; a grapheme drawn wider than that (🏳️‍🌈 is drawn 🏳🌈, 3
 * cells) gets a row of its own, which the pane cuts.
 */
export function wrapSpans(line: string, width: number, whole: readonly Span[] = []): Span[] {
  if (width <= 0 || displayWidth(line) <= width) return [{ start: 0, end: line.length }];
  const rows: Span[] = [];
  // The row being filled: line.slice(start, end), `used` cells (0: nothing yet).
  let start = 0;
  let end = 0;
  let used = 0;
  const push = () => {
    let e = end;
    while (e > start && line[e - 1] === ' ') e--;
    rows.push({ start, end: e });
    used = 0;
  };
  const add = (at: number, length: number, cells: number) => {
    if (used === 0) start = at;
    end = at + length;
    used += cells;
  };
  for (const m of line.matchAll(TOKENS)) {
    const token = m[0];
    const at = m.index;
    const tokenWidth = displayWidth(token);
    const spaces = /^ +$/.test(token);
    if (spaces && used === 0 && rows.length > 0) {
      // Spaces at a break are dropped (a line's own indent, on its first row, is kept).
    } else if (used + tokenWidth <= width) {
      add(at, token.length, tokenWidth);
    } else if (spaces) {
      if (used > 0) push();
    } else if (tokenWidth <= width && used > 0) {
      push();
      add(at, token.length, tokenWidth);
    } else {
      // A word longer than what is left: cut it by graphemes. An address gets rows of its own.
      const address = whole.some((w) => w.start < at + token.length && w.end > at);
      if (used > 0 && address) push();
      let offset = at;
      for (const g of graphemes(token)) {
        const gw = clusterWidth(g);
        if (used + gw > width && used > 0) push();
        add(offset, g.length, gw);
        offset += g.length;
      }
      if (address) push();
    }
  }
  if (used > 0 || rows.length === 0) {
    if (used === 0) start = end = 0;
    rows.push({ start, end });
  }
  return rows;
}

/** Wraps one line into rows of at most `width` cells (see wrapSpans). */
export function wrapLine(line: string, width: number): string[] {
  return wrapSpans(line, width).map((s) => line.slice(s.start, s.end));
}

/** Wraps several lines. */
export function wrapLines(lines: readonly string[], width: number): string[] {
  const out: string[] = [];
  for (const line of lines) out.push(...wrapLine(line, width));
  return out;
}
