/**
 * What the overlays that list things (the people list, search results) share: their size on
 * screen, which rows show for a selection, how the list keys move it, and when the next page is
 * wanted. Plain functions; ListOverlay.tsx draws them.
 */
import type { Action } from './keymap.js';
import type { Env } from './ui-state.js';

/** Rows above the list in an overlay: a header line and a blank one. */
export const OVERLAY_HEADER_ROWS = 2;

/** The height an overlay takes: the messages and the responses panes together. */
export function overlayHeight(env: Pick<Env, 'layout'>): number {
  return env.layout.topHeight + env.layout.responsesHeight;
}

/** Rows of items an overlay of `height` shows (less its borders and its header). */
export function overlayBody(height: number): number {
  return Math.max(1, height - 2 - OVERLAY_HEADER_ROWS);
}

/** The first item shown so that `selected` is in view (the view follows it down, as a list does). */
export function overlayTop(selected: number, count: number, body: number): number {
  return Math.max(0, Math.min(selected - body + 1, count - body));
}

/** Where a list key (Up, Down, PgUp, PgDn, Home, End) moves the selection among `count` items; null for any other action. */
export function listMove(action: Action, selected: number, count: number, page: number): number | null {
  const to =
    action === 'list.up'
      ? selected - 1
      : action === 'list.down'
        ? selected + 1
        : action === 'list.pageUp'
          ? selected - page
          : action === 'list.pageDown'
            ? selected + page
            : action === 'list.first'
              ? 0
              : action === 'list.last'
                ? count - 1
                : null;
  return to === null ? null : Math.max(0, Math.min(Math.max(0, count - 1), to));
}

/** Whether the selection is near enough the end of what is loaded (within a page) for the next page to be asked for. */
export function wantsMore(selected: number, count: number, page: number): boolean {
  return selected >= count - page;
}
