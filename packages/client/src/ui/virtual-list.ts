/**
 * A virtualised, bottom-anchored list of variable-height items (messages, responses): only the
 * items that reach the visible rows are turned into rows, so 10,000 messages cost what 30 do.
 *
 * Scrolling is kept as an anchor: the item at the bottom of the view and how many of its rows are
 * hidden below. New items appended below do not move a scrolled view; they are counted as "new".
 * `null` means "follow the bottom".
 */
import type { Row } from './segments.js';

export interface ScrollAnchor {
  /** Key of the item whose rows reach the bottom of the view. */
  key: string;
  /** How many of that item's rows are below the view. */
  below: number;
  /** Key of the last item when the view left the bottom: later items are "new". */
  seenKey: string;
}

export type Scroll = ScrollAnchor | null;

export interface VirtualList<T> {
  items: readonly T[];
  keyOf(item: T): string;
  /** The rows of one item (at least one). */
  rowsOf(item: T, index: number): Row[];
  height: number;
}

export interface VisibleRows {
  rows: Row[];
  /** Items below the view that arrived after it left the bottom. */
  newCount: number;
  /** Whether there is anything below the view at all. */
  moreBelow: boolean;
  /** Whether there is anything above the view. */
  moreAbove: boolean;
}

function indexOfKey<T>(list: VirtualList<T>, key: string): number {
  const { items } = list;
  for (let i = items.length - 1; i >= 0; i--) if (list.keyOf(items[i]) === key) return i;
  return -1;
}

interface Position {
  index: number;
  below: number;
}

function bottomPosition<T>(list: VirtualList<T>, scroll: Scroll): Position | null {
  if (list.items.length === 0) return null;
  if (scroll) {
    const index = indexOfKey(list, scroll.key);
    if (index !== -1) {
      const count = list.rowsOf(list.items[index], index).length;
      return { index, below: Math.min(scroll.below, count - 1) };
    }
  }
  return { index: list.items.length - 1, below: 0 };
}

/** Rows at or above a position, counted up to `limit`. */
function rowsAbove<T>(list: VirtualList<T>, pos: Position, limit: number): number {
  let total = list.rowsOf(list.items[pos.index], pos.index).length - pos.below;
  for (let i = pos.index - 1; i >= 0 && total < limit; i--) total += list.rowsOf(list.items[i], i).length;
  return total;
}

/** The bottom position when the first row is at the top of the view. */
function topPosition<T>(list: VirtualList<T>): Position {
  let remaining = list.height;
  for (let i = 0; i < list.items.length; i++) {
    const count = list.rowsOf(list.items[i], i).length;
    if (count >= remaining) return { index: i, below: count - remaining };
    remaining -= count;
  }
  return { index: list.items.length - 1, below: 0 };
}

function toScroll<T>(list: VirtualList<T>, pos: Position, previous: Scroll): Scroll {
  const last = list.items.length - 1;
  if (pos.index >= last && pos.below <= 0) return null;
  const seenKey = previous?.seenKey ?? list.keyOf(list.items[last]);
  return { key: list.keyOf(list.items[pos.index]), below: pos.below, seenKey };
}

/** Moves the view by `delta` rows: negative is up (older), positive is down (newer). */
export function scrollBy<T>(list: VirtualList<T>, scroll: Scroll, delta: number): Scroll {
  const start = bottomPosition(list, scroll);
  if (!start) return null;
  let { index, below } = start;
  if (delta < 0) {
    below += -delta;
    while (index > 0 && below >= list.rowsOf(list.items[index], index).length) {
      below -= list.rowsOf(list.items[index], index).length;
      index--;
    }
    below = Math.min(below, list.rowsOf(list.items[index], index).length - 1);
    const top = topPosition(list);
    if (index < top.index || (index === top.index && below > top.below)) {
      index = top.index;
      below = top.below;
    }
    if (rowsAbove(list, { index, below }, list.height) < list.height) return null; // all fits
  } else if (delta > 0) {
    below -= delta;
    while (below < 0) {
      if (index >= list.items.length - 1) return null;
      index++;
      below += list.rowsOf(list.items[index], index).length;
    }
  }
  return toScroll(list, { index, below }, scroll);
}

/**
 * The view with item `index`'s first row at the top (as near as the list allows), and the items
 * below the view counted as new; null (follow the bottom) when everything from there fits.
 */
export function scrollToItem<T>(list: VirtualList<T>, index: number): Scroll {
  let remaining = list.height;
  for (let i = index; i < list.items.length; i++) {
    const count = list.rowsOf(list.items[i], i).length;
    if (count >= remaining) {
      const scroll = toScroll(list, { index: i, below: count - remaining }, null);
      return scroll && { ...scroll, seenKey: list.keyOf(list.items[i]) };
    }
    remaining -= count;
  }
  return null;
}

/**
 * The view with item `index` in the middle (as near as the list allows: its first rows at the top
 * when it is taller than the view), nothing below counted as new; null when that is the bottom.
 */
export function scrollToCentre<T>(list: VirtualList<T>, index: number): Scroll {
  const own = list.rowsOf(list.items[index]!, index).length;
  let pos: Position = { index, below: Math.max(0, own - list.height) };
  let wanted = Math.max(0, Math.floor((list.height - own) / 2));
  for (let i = index + 1; i < list.items.length && wanted > 0; i++) {
    const count = list.rowsOf(list.items[i]!, i).length;
    pos = { index: i, below: Math.max(0, count - wanted) };
    wanted -= count;
  }
  const scroll = toScroll(list, pos, null);
  return scroll && { ...scroll, seenKey: list.keyOf(list.items[list.items.length - 1]!) };
}

export function scrollHome<T>(list: VirtualList<T>, scroll: Scroll): Scroll {
  if (list.items.length === 0) return null;
  const top = topPosition(list);
  if (rowsAbove(list, top, list.height) < list.height) return null;
  return toScroll(list, top, scroll);
}

/** The rows to draw, oldest first, at most `height`. */
export function visibleRows<T>(list: VirtualList<T>, scroll: Scroll): VisibleRows {
  const pos = bottomPosition(list, scroll);
  if (!pos) return { rows: [], newCount: 0, moreBelow: false, moreAbove: false };
  const height = list.height;
  const collected: Row[][] = [];
  let total = 0;
  const first = list.rowsOf(list.items[pos.index], pos.index);
  const firstRows = first.slice(0, first.length - pos.below);
  collected.push(firstRows);
  total += firstRows.length;
  let i = pos.index - 1;
  for (; i >= 0 && total < height; i--) {
    const rows = list.rowsOf(list.items[i], i);
    collected.push(rows);
    total += rows.length;
  }
  const moreAbove = total > height || i >= 0;
  let rows = collected.reverse().flat();
  if (rows.length > height) rows = rows.slice(rows.length - height);
  // The view is above the end but not full (items were removed): fill from below.
  let moreBelow = pos.index < list.items.length - 1 || pos.below > 0;
  if (rows.length < height && moreBelow) {
    rows = rows.concat(first.slice(first.length - pos.below));
    for (let j = pos.index + 1; j < list.items.length && rows.length < height; j++) {
      rows = rows.concat(list.rowsOf(list.items[j], j));
    }
    moreBelow = rows.length > height;
    rows = rows.slice(0, height);
  }
  let newCount = 0;
  if (scroll && moreBelow) {
    const seen = indexOfKey(list, scroll.seenKey);
    const lastSeen = Math.max(seen, pos.index);
    newCount = seen === -1 ? 0 : list.items.length - 1 - lastSeen;
  }
  return { rows, newCount, moreBelow, moreAbove };
}
