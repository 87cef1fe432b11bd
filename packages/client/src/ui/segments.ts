/** A rendered row as styled segments of already-sanitised text, and helpers to size rows. */
import { displayWidth, truncateWidth } from './text-layout.js';

export interface Segment {
  text: string;
  color?: string;
  backgroundColor?: string;
  bold?: boolean;
  dim?: boolean;
  inverse?: boolean;
  underline?: boolean;
  /** A web address the text opens (a terminal hyperlink, see links.ts). */
  link?: string;
}

export type Row = Segment[];

/** A style laid over part of a text (offsets, end excluded). */
export interface Mark {
  start: number;
  end: number;
  style: Omit<Segment, 'text'>;
}

/** A text as a row: `base` everywhere, and each mark's style over its part (marks may overlap). */
export function markedRow(text: string, base: Omit<Segment, 'text'>, marks: readonly Mark[]): Row {
  if (marks.length === 0) return [{ text, ...base }];
  const cuts = new Set([0, text.length]);
  for (const m of marks) {
    cuts.add(Math.max(0, Math.min(text.length, m.start)));
    cuts.add(Math.max(0, Math.min(text.length, m.end)));
  }
  const points = [...cuts].sort((a, b) => a - b);
  const row: Row = [];
  for (let i = 0; i + 1 < points.length; i++) {
    const from = points[i]!;
    const to = points[i + 1]!;
    let style = base;
    for (const m of marks) if (m.start <= from && m.end >= to) style = { ...style, ...m.style };
    row.push({ text: text.slice(from, to), ...style });
  }
  return row;
}

export function rowWidth(row: Row): number {
  let w = 0;
  for (const s of row) w += displayWidth(s.text);
  return w;
}

/** Pads a row with spaces, or cuts it, to exactly `width` cells. */
export function fitRow(row: Row, width: number): Row {
  const w = rowWidth(row);
  if (w === width) return row;
  if (w < width) return [...row, { text: ' '.repeat(width - w) }];
  return cutRow(row, width);
}

/**
 * Cuts a row to at most `width` cells (as fitRow does) but does not pad it: the row itself when
 * it fits. Unstyled padding only draws blank cells, which a pane's body already has.
 */
export function clipRow(row: Row, width: number): Row {
  return rowWidth(row) <= width ? row : cutRow(row, width);
}

function cutRow(row: Row, width: number): Row {
  const out: Row = [];
  let used = 0;
  for (const s of row) {
    const sw = displayWidth(s.text);
    if (used + sw <= width - 1) {
      out.push(s);
      used += sw;
      continue;
    }
    const cut = truncateWidth(s.text, width - used);
    out.push({ ...s, text: cut });
    used += displayWidth(cut);
    break;
  }
  if (used < width) out.push({ text: ' '.repeat(width - used) });
  return out;
}

/** A row aligned right inside `width` (for indicators). */
export function alignRight(row: Row, width: number): Row {
  const w = rowWidth(row);
  return w >= width ? fitRow(row, width) : [{ text: ' '.repeat(width - w) }, ...row];
}
