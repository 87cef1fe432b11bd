/**
 * How many cells Ink gives each character (grapheme cluster) when it places a row: the terminal's
 * count (ui/cell-width.ts) instead of string-width's.
 *
 * Ink 6.8's Output.get advances by string-width of each cluster, which counts a cluster as its
 * first character: a Devanagari conjunct (क्षि) or Thai with SARA AM (กำ) is one cell short of
 * what tmux and wcwidth terminals draw, and everything after it on the row, the pane's right
 * border included, lands one cell further right than Ink placed it: the row wraps and the screen
 * scrolls. The client's own layout already counts cells this way, so with this Ink and the
 * terminal agree. Emoji need no help here: the client draws them so that both counts agree
 * (ui/drawn-text.ts).
 *
 * Applied inside the row-caching copy of Output.get (ink-row-cache.ts), so it is in exactly when
 * that is: fenced to the Ink in PATCHED_VERSIONS, recorded and said otherwise (rows with such
 * scripts are then one cell too wide again; nothing else changes).
 */
import { cellWidth } from '../ui/cell-width.js';

export const CELL_WIDTH = 'ink-cell-width';

const PRINTABLE_ASCII = /^[\x20-\x7e]$/;

/** Cells Ink gives one character; at least one, as Ink does (a cell is never empty). */
export function inkCellWidth(value: string): number {
  return PRINTABLE_ASCII.test(value) ? 1 : Math.max(1, cellWidth(value));
}
