/**
 * The search results and a hit shown in place, as plain functions without Ink: every key of the
 * search context, paging as the selection nears the end, Enter, the list following /search, the
 * hit centred and marked until the next key, and a window away from the newest scrolled down.
 */
import { describe, expect, test } from '@jest/globals';
import type { ChatMessage } from '@tui-chat/protocol';
import { followState, initialUi, reduceKey, type Env, type UiState } from '../../src/ui/chat-reducer.js';
import { actionFor, KEYMAP } from '../../src/ui/keymap.js';
import { chatLayout } from '../../src/ui/layout.js';
import { overlayBody, overlayHeight } from '../../src/ui/list-overlay.js';
import { messageListFor } from '../../src/ui/ChatPanes.js';
import { responseList } from '../../src/ui/ResponsesPane.js';
import { lineEffect } from '../../src/core/commands/index.js';
import { visibleRows, type VirtualList } from '../../src/ui/virtual-list.js';
import type { ClientState, SearchResults } from '../../src/core/types.js';
import { keyOf, makeState, msg, msgs } from './helpers.js';

const layout = chatLayout(80, 24);
const PAGE = overlayBody(overlayHeight({ layout }));

function hit(i: number, patch: Partial<ChatMessage> = {}): ChatMessage {
  return {
    id: 1000 - i,
    conversation: '#team',
    seq: 500 - i,
    from: 'bob',
    to: '#team',
    text: `lunch plan ${i}`,
    at: 1_700_000_000_000 - i * 60_000,
    clientId: `c${i}`,
    kind: 'direct',
    ...patch,
  };
}

function results(n: number, patch: Partial<SearchResults> = {}): SearchResults {
  return {
    serial: 1,
    query: 'lunch',
    with: null,
    terms: ['lunch'],
    messages: Array.from({ length: n }, (_, i) => hit(i)),
    before: null,
    loading: false,
    error: null,
    ...patch,
  };
}

function env(state: ClientState): Env {
  return {
    state,
    layout,
    commands: [],
    messageList: () => messageListFor(state, layout),
    responseList: () => responseList(state.responses, layout.columns - 2, layout.responsesHeight - 2) as VirtualList<unknown>,
    complete: () => [],
    lineEffect,
    olderMayExist: () => true,
    unsent: () => 0,
  };
}

const searching = (selected = 0): UiState => ({ ...initialUi(), search: { open: true, selected, serial: 1 } });
const press = (ui: UiState, id: string, state: ClientState) => reduceKey(ui, keyOf(id), env(state));

describe('the search results, a key at a time', () => {
  const world = makeState({ search: results(40, { before: 960 }) });

  test('every key of the search context is bound, and only there', () => {
    const ids = KEYMAP.search.flatMap((b) => b.keys);
    expect(ids.sort()).toEqual(['down', 'end', 'escape', 'home', 'pagedown', 'pageup', 'return', 'up']);
    for (const b of KEYMAP.search) for (const id of b.keys) expect(actionFor('search', keyOf(id))).toBe(b.action);
  });

  test.each([
    ['down', 0, 1],
    ['up', 5, 4],
    ['up', 0, 0],
    ['pagedown', 0, PAGE],
    ['pageup', PAGE + 3, 3],
    ['home', 17, 0],
    ['end', 3, 39],
  ])('%s from match %i selects match %i; the list stays open', (id, from, to) => {
    const r = press(searching(from), id, world);
    expect(r.ui.search).toEqual({ open: true, selected: to, serial: 1 });
  });

  test('near the end of what is loaded the next page is asked for, once none is loading and while more are left', () => {
    expect(press(searching(0), 'down', world).effects).toEqual([]);
    expect(press(searching(40 - PAGE - 1), 'down', world).effects).toEqual([{ type: 'searchMore' }]);
    expect(press(searching(0), 'end', world).effects).toEqual([{ type: 'searchMore' }]);
    const loading = makeState({ search: results(40, { before: 960, loading: true }) });
    expect(press(searching(0), 'end', loading).effects).toEqual([]);
    const all = makeState({ search: results(40) });
    expect(press(searching(0), 'end', all).effects).toEqual([]);
    // A page that failed is asked for again by the next move.
    const failed = makeState({ search: results(40, { before: 960, error: 'The server is busy.' }) });
    expect(press(searching(39), 'up', failed).effects).toEqual([{ type: 'searchMore' }]);
  });

  test('Enter shows the selected match in its conversation: the list closes and the messages have the focus', () => {
    const mixed = makeState({ search: results(3, { messages: [hit(0), hit(1, { conversation: 'alice:bob', to: 'alice', seq: 7 })] }) });
    const r = press(searching(1), 'return', mixed);
    expect(r.ui.search.open).toBe(false);
    expect(r.ui.focus).toBe('messages');
    // Alice is the user: a pair conversation is named by the other side.
    expect(r.effects).toEqual([{ type: 'showMessage', conversation: 'bob', seq: 7 }]);
    expect(press(searching(0), 'return', mixed).effects).toEqual([{ type: 'showMessage', conversation: '#team', seq: 500 }]);
    // Nothing found: Enter does nothing.
    const none = makeState({ search: results(0) });
    expect(press(searching(0), 'return', none)).toMatchObject({ ui: { search: { open: true } }, effects: [] });
  });

  test('Esc closes it; any other key closes it and does its own job', () => {
    expect(press(searching(3), 'escape', world).ui.search.open).toBe(false);
    const typed = press(searching(3), 'x', world);
    expect(typed.ui).toMatchObject({ search: { open: false }, editor: { value: 'x' }, focus: 'input' });
    const f2 = press(searching(3), 'f2', world);
    expect(f2.ui).toMatchObject({ search: { open: false }, focus: 'conversations' });
    expect(press(searching(3), 'f1', world).ui).toMatchObject({ search: { open: false }, help: { open: true } });
    expect(press(searching(3), 'f6', world).ui).toMatchObject({ search: { open: false }, people: { open: true } });
  });
});

describe('the list follows /search', () => {
  const follow = (ui: UiState, state: ClientState) =>
    followState(
      ui,
      state,
      () => messageListFor(state, layout),
      () => -1,
    );

  test('a new search opens it at the first match, over the help and the people list; a refused one closes it', () => {
    const busy = { ...initialUi(), help: { open: true, top: 3 }, people: { open: true, filter: 'a', selected: 2 } };
    const opened = follow(busy, makeState({ search: results(5, { serial: 4 }) }));
    expect(opened.search).toEqual({ open: true, selected: 0, serial: 4 });
    expect(opened.help.open).toBe(false);
    expect(opened.people.open).toBe(false);
    // The same search again (a page came): the selection stays.
    const moved = { ...opened, search: { ...opened.search, selected: 3 } };
    expect(follow(moved, makeState({ search: results(9, { serial: 4 }) })).search.selected).toBe(3);
    // Closed by Esc, it stays closed while the same search is kept.
    const closed = { ...moved, search: { ...moved.search, open: false } };
    expect(follow(closed, makeState({ search: results(9, { serial: 4 }) })).search.open).toBe(false);
    expect(follow(moved, makeState({ search: null })).search.open).toBe(false);
  });

  test('a hit is brought into the middle of the view and marked; the next key takes the mark away', () => {
    const list = msgs(200);
    const state = makeState({ messages: { bob: list }, hit: { conversation: 'bob', seq: 101 } });
    const ui = follow({ ...initialUi(), lastOpen: 'bob' }, state);
    expect(ui.marked).toBe('m100');
    expect(ui.lastHit).toBe(state.hit);
    const view = visibleRows(messageListFor(state, layout), ui.messageScroll);
    const at = view.rows.findIndex((row) =>
      row
        .map((s) => s.text)
        .join('')
        .includes('message number 100'),
    );
    const height = layout.topHeight - 2;
    expect(Math.abs(at - Math.floor(height / 2))).toBeLessThanOrEqual(1);
    // Only once: the view may move away from it afterwards.
    expect(follow({ ...ui, messageScroll: null, marked: null }, state).messageScroll).toBeNull();
    expect(press(ui, 'down', state).ui.marked).toBeNull();
  });
});

describe('a window away from the newest (a search hit), scrolled', () => {
  // Messages 1..51 held of bob, newer ones on the server.
  const window = makeState({ messages: { bob: msgs(51) }, newer: { bob: 'more' } });
  const inPane = (ui: Partial<UiState> = {}): UiState => ({ ...initialUi(), focus: 'messages', lastOpen: 'bob', ...ui });

  test('Down at the bottom asks for the page after it, and holds the view where it is', () => {
    const r = press(inPane(), 'down', window);
    expect(r.effects).toEqual([{ type: 'loadNewer', conversation: 'bob' }]);
    expect(r.ui.messageScroll).toEqual({ key: 'm50', below: 0, seenKey: 'm50' });
    expect(r.ui.pinBottom).toBe('asked');
    expect(press(inPane(), 'pagedown', window).effects).toEqual([{ type: 'loadNewer', conversation: 'bob' }]);
    // Not at the bottom yet, or not a window, or a page already loading: nothing asked.
    const top = press(inPane(), 'home', window).ui;
    expect(press(top, 'down', window).effects).toEqual([]);
    expect(press(inPane(), 'down', makeState({ messages: { bob: msgs(51) } })).effects).toEqual([]);
    expect(press(inPane(), 'down', { ...window, newer: { bob: 'loading' } }).effects).toEqual([]);
  });

  test('what the page brings below is not counted as new: the view stays, "more" below', () => {
    const asked = press(inPane(), 'down', window).ui;
    const loading = { ...window, newer: { bob: 'loading' as const } };
    const during = followState(
      asked,
      loading,
      () => messageListFor(loading, layout),
      () => -1,
    );
    expect(during.pinBottom).toBe('loading');
    const came = makeState({ messages: { bob: msgs(101) }, newer: { bob: 'more' } });
    const after = followState(
      during,
      came,
      () => messageListFor(came, layout),
      () => -1,
    );
    expect(after.pinBottom).toBeNull();
    expect(after.messageScroll).toEqual({ key: 'm50', below: 0, seenKey: 'm100' });
    const view = visibleRows(messageListFor(came, layout), after.messageScroll);
    expect(view).toMatchObject({ newCount: 0, moreBelow: true });
  });

  test('End and Ctrl+End go to the newest: the conversation opens again; outside a window they only scroll', () => {
    for (const [ui, id] of [
      [inPane(), 'end'],
      [initialUi(), 'ctrl+end'],
      [initialUi(), 'end'],
    ] as const) {
      const r = press({ ...ui, lastOpen: 'bob', messageScroll: { key: 'm3', below: 0, seenKey: 'm50' } }, id, window);
      expect(r.ui.messageScroll).toBeNull();
      expect(r.effects).toEqual([{ type: 'open', conversation: 'bob' }]);
      expect(press({ ...ui, lastOpen: 'bob' }, id, makeState({ messages: { bob: msgs(51) } })).effects).toEqual([]);
    }
  });

  test('its last row says newer messages follow, or that they load', () => {
    const rowsOf = (state: ClientState) =>
      visibleRows(messageListFor(state, layout), null).rows.map((row) => row.map((s) => s.text).join(''));
    expect(rowsOf(window).at(-1)).toContain('newer messages: scroll down, or End for the newest');
    expect(rowsOf({ ...window, newer: { bob: 'loading' } }).at(-1)).toBe('loading newer messages…');
    expect(rowsOf(makeState({ messages: { bob: [msg(0)] } })).at(-1)).toContain('message number 0');
  });
});
