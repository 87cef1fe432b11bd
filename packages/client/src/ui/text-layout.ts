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
 * Wraps one line (no newlines) to rows of at most `width` cells. Breaks after spaces when it
 * can, inside a word when a word is longer than a row. Never splits a grapheme. An empty line
 * gives one empty row.
 */
export function wrapLine(line: string, width: number): string[] {
  if (width <= 0) return [line];
  if (displayWidth(line) <= width) return [line];
  const rows: string[] = [];
  let row = '';
  let rowWidth = 0;
  // Tokens: runs of spaces and runs of non-spaces, kept in order.
  for (const token of line.match(/ +|[^ ]+/g) ?? []) {
    const tokenWidth = displayWidth(token);
    if (rowWidth + tokenWidth <= width) {
      row += token;
      rowWidth += tokenWidth;
      continue;
    }
    if (token.startsWith(' ')) {
      // Spaces at a break are dropped, the way every chat client does it.
      rows.push(row);
      row = '';
      rowWidth = 0;
      continue;
    }
    if (tokenWidth <= width && rowWidth > 0) {
      rows.push(row.replace(/ +$/, ''));
      row = token;
      rowWidth = tokenWidth;
      continue;
    }
    // A word longer than what is left: cut it by graphemes.
    for (const g of graphemes(token)) {
      const gw = clusterWidth(g);
      if (rowWidth + gw > width && rowWidth > 0) {
        rows.push(row);
        row = '';
        rowWidth = 0;
      }
      row += g;
      rowWidth += gw;
    }
  }
  if (row !== '' || rows.length === 0) rows.push(row);
  return rows;
}

/** Wraps several lines. */
export function wrapLines(lines: readonly string[], width: number): string[] {
  const out: string[] = [];
  for (const line of lines) out.push(...wrapLine(line, width));
  return out;
}
