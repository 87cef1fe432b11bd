/**
 * The chat screen's UI-only state (focus, the input line, scroll positions, the help), the effects
 * a key can ask for, what the reducer reads of the world, and how the state follows the client's.
 */
import type { ClientState, DisplayMessage, Hit } from '../core/types.js';
import type { CommandHelp } from './HelpOverlay.js';
import * as ed from './input-editor.js';
import type { KeyEvent } from './keys.js';
import type { ChatLayout } from './layout.js';
import { scrollHome, scrollToCentre, scrollToItem, type Scroll, type VirtualList } from './virtual-list.js';

export type PaneId = 'conversations' | 'messages' | 'responses' | 'input';
export const PANE_ORDER: readonly PaneId[] = ['conversations', 'messages', 'responses', 'input'];

export interface UiState {
  focus: PaneId;
  editor: ed.EditorState;
  messageScroll: Scroll;
  responseScroll: Scroll;
  /** The selected list entry, by name: the list reorders as messages arrive. */
  selected: string | null;
  help: { open: boolean; top: number };
  /** The people list (F6): what is typed to narrow it, and the selected row. */
  people: { open: boolean; filter: string; selected: number };
  /** The search results: the selected match, and the search shown (state.search's serial; a new one opens the list). */
  search: { open: boolean; selected: number; serial: number };
  /** The message a search hit showed (its key): marked in the messages until the next key. */
  marked: string | null;
  /** The hit (state.hit) last brought into view, so each is brought once. */
  lastHit: Hit | null;
  /** A newer page was asked for from the bottom of a window (core/window.ts): the view stays where it is as it comes. */
  pinBottom: 'asked' | 'loading' | null;
  /** The open conversation last seen, to follow changes made by commands and arrivals. */
  lastOpen: string | null | undefined;
  /** The messages view still has to start at the `── new ──` line, once its message is loaded. */
  jumpToNew: boolean;
  /**
   * An older page was asked for from the top of the view: the view stays at the top while it
   * loads (so its "loading" row shows) and when the start is reached (so that line shows).
   */
  pinTop: 'asked' | 'loading' | null;
  /** Keys typed while a paste waits for its decision: they run after it. */
  held: KeyEvent[];
  /** Quitting was asked while messages are not sent yet: the question shows until Enter or Esc. `line`: the /quit typed. */
  confirmQuit: { line: string | null } | null;
}

export const initialUi = (): UiState => ({
  focus: 'input',
  editor: ed.emptyEditor(),
  messageScroll: null,
  responseScroll: null,
  selected: null,
  help: { open: false, top: 0 },
  people: { open: false, filter: '', selected: 0 },
  search: { open: false, selected: 0, serial: 0 },
  marked: null,
  lastHit: null,
  pinBottom: null,
  lastOpen: undefined,
  jumpToNew: false,
  pinTop: null,
  held: [],
  confirmQuit: null,
});

/** What the screen does after a key, in order. */
export type Effect =
  /** A line for the client (in the order typed; the screen queues them). */
  | { type: 'submit'; line: string }
  /** /quit: send it, then leave (at once when it is done, or after a short grace). */
  | { type: 'quit'; line: string }
  /** Ctrl+C: leave now. */
  | { type: 'quitNow' }
  /** Ctrl+L: clear the screen and draw the whole frame again. */
  | { type: 'redraw' }
  | { type: 'open'; conversation: string }
  | { type: 'loadOlder'; conversation: string }
  /** The page after a window's newest message (core/window.ts). */
  | { type: 'loadNewer'; conversation: string }
  /** The next page of the search shown. */
  | { type: 'searchMore' }
  /** Opens a conversation at one message, with the messages around it. */
  | { type: 'showMessage'; conversation: string; seq: number }
  /** The people list's names starting with `prefix`: the first page, or the next one. */
  | { type: 'people'; prefix: string; next: boolean }
  /**
   * Tab found nothing for this input line (`value`, completing at `cursor`): the server may know
   * names this login does not hold yet; complete again if they come and the line is unchanged.
   */
  | { type: 'completeLater'; value: string; cursor: number; backwards: boolean }
  /** Reconnect now instead of at the end of the countdown. */
  | { type: 'retryNow' }
  | { type: 'flash'; text: string };

/** What the reducer reads of the world: the client's state, the layout, and a few lookups. */
export interface Env {
  state: ClientState;
  layout: ChatLayout;
  commands: readonly CommandHelp[];
  /** The messages pane's virtual list (what it draws and what keys scroll). */
  messageList(): VirtualList<unknown>;
  responseList(): VirtualList<unknown>;
  /** Completions for the input line up to the cursor (ClientActions.complete). */
  complete(line: string): string[];
  /** What a line does to the screen itself (a command's `ui`): open the help, or quit. */
  lineEffect(line: string): 'help' | 'quit' | null;
  /** The open conversation has older messages the server could give (no start line yet). */
  olderMayExist(): boolean;
  /** Own messages the server has not taken yet (ClientActions.unsent). */
  unsent(): number;
}

export interface Step {
  ui: UiState;
  effects: Effect[];
}

/** The list entry the selection is on: the selected name, else the open conversation, else the top. */
export function selectionIndex(entries: readonly { with: string }[], selected: string | null, open: string | null): number {
  for (const name of [selected, open]) {
    const index = name === null ? -1 : entries.findIndex((e) => e.with === name);
    if (index !== -1) return index;
  }
  return 0;
}

/**
 * The UI state after the client's state changed (an arrival, a command): it follows the open
 * conversation, starts a conversation opened with unread messages at its new line (once that
 * message is loaded), and keeps a view pinned at the top while an older page loads.
 */
export function followState(ui: UiState, state: ClientState, messageList: () => VirtualList<unknown>, firstNew: () => number): UiState {
  let next = ui;
  if (state.openConversation !== next.lastOpen) {
    next = {
      ...next,
      lastOpen: state.openConversation,
      messageScroll: null,
      selected: state.openConversation ?? next.selected,
      jumpToNew: true,
      pinTop: null,
      pinBottom: null,
      marked: null,
    };
  }
  const open = state.openConversation;
  next = followSearch(next, state);
  const hit = state.hit;
  if (hit && hit !== next.lastHit && hit.conversation === open) {
    // A search hit: in the middle of the view, marked, instead of the new line.
    const list = messageList();
    const index = list.items.findIndex((m) => (m as DisplayMessage).seq === hit.seq);
    next = { ...next, lastHit: hit, jumpToNew: false, pinTop: null, pinBottom: null };
    if (index !== -1) next = { ...next, messageScroll: scrollToCentre(list, index), marked: list.keyOf(list.items[index]) };
  }
  if (next.pinBottom && open) next = followNewer(next, state.newer[open], messageList);
  if (next.jumpToNew) {
    const marker = state.newMarker;
    if (!open || !marker || marker.conversation !== open) next = { ...next, jumpToNew: false };
    else {
      const index = firstNew();
      if (index !== -1) next = { ...next, jumpToNew: false, messageScroll: scrollToItem(messageList(), index) };
    }
  }
  if (next.pinTop && open) {
    const paging = state.paging[open];
    if (paging === 'loading') next = { ...next, pinTop: 'loading', messageScroll: scrollHome(messageList(), next.messageScroll) };
    else if (paging === 'start') next = { ...next, pinTop: null, messageScroll: scrollHome(messageList(), next.messageScroll) };
    // The page came (or did not): the view keeps its bottom message, the older ones above it.
    else if (next.pinTop === 'loading') next = { ...next, pinTop: null };
  }
  return next;
}

/** A new /search opens its list (over the help and the people list); a refused one closes it. */
function followSearch(ui: UiState, state: ClientState): UiState {
  const search = state.search;
  if (search && search.serial !== ui.search.serial) {
    return {
      ...ui,
      search: { open: true, selected: 0, serial: search.serial },
      help: { open: false, top: 0 },
      people: { ...ui.people, open: false },
    };
  }
  if (!search && ui.search.open) return { ...ui, search: { ...ui.search, open: false } };
  return ui;
}

/**
 * A newer page of a window was asked for: once it came (or failed) the view stays on what it
 * showed, and what came below is not counted as new (it is the conversation, not arrivals).
 */
function followNewer(ui: UiState, newer: 'more' | 'loading' | undefined, messageList: () => VirtualList<unknown>): UiState {
  if (newer === 'loading') return ui.pinBottom === 'loading' ? ui : { ...ui, pinBottom: 'loading' };
  if (ui.pinBottom === 'asked' && newer === 'more') return ui;
  const list = messageList();
  const last = list.items.at(-1);
  const scroll = ui.messageScroll;
  return { ...ui, pinBottom: null, messageScroll: scroll && last !== undefined ? { ...scroll, seenKey: list.keyOf(last) } : scroll };
}
