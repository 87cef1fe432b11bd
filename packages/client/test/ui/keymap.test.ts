/**
 * Keys as data: every binding of every context reaches its action, the README's key tables are
 * the keymap's, and every action of the chat screen's reducer does what its help says — as
 * plain functions, without Ink.
 */
import fs from 'node:fs';
import { describe, expect, test } from '@jest/globals';
import { keyLabel, keyTableMarkdown } from '../../src/ui/key-labels.js';
import { actionFor, KEYMAP, type Action, type KeyContext } from '../../src/ui/keymap.js';
import { parseKey } from '../../src/ui/keys.js';
import { initialUi, reduceKey, type Effect, type Env, type UiState } from '../../src/ui/chat-reducer.js';
import * as ed from '../../src/ui/input-editor.js';
import { chatLayout } from '../../src/ui/layout.js';
import { messageList } from '../../src/ui/MessagePane.js';
import { responseList } from '../../src/ui/ResponsesPane.js';
import { lineEffect } from '../../src/core/commands/index.js';
import type { VirtualList } from '../../src/ui/virtual-list.js';
import { keyOf, makeState, msgs } from './helpers.js';
import { arrival } from './arrival.js';
import { peopleShown } from '../../src/ui/people-list.js';

describe('the keymap', () => {
  test.each(Object.keys(KEYMAP) as KeyContext[])('%s: every key reaches its action, and no key is bound twice', (context) => {
    const seen = new Set<string>();
    for (const b of KEYMAP[context]) {
      for (const id of b.keys) {
        expect({ context, id, duplicate: seen.has(id) }).toEqual({ context, id, duplicate: false });
        seen.add(id);
        expect({ id, action: actionFor(context, keyOf(id)) }).toEqual({ id, action: b.action });
      }
    }
  });

  test('what terminals send reaches the same ids', () => {
    expect(actionFor('global', parseKey('\x1bOQ'))).toBe('focus.conversations'); // F2
    expect(actionFor('global', parseKey('\x1b1'))).toBe('focus.conversations'); // Alt+1
    expect(actionFor('global', parseKey('\x1b[Z'))).toBe('focus.previous'); // Shift+Tab
    expect(actionFor('input', parseKey('\x01'))).toBe('line.start'); // Ctrl+A
    expect(actionFor('input', parseKey('\x1b[1;5D'))).toBe('word.left'); // Ctrl+Left
    expect(actionFor('input', parseKey('\x1b\x7f'))).toBe('word.deleteBack'); // Alt+Backspace
    expect(actionFor('input', parseKey('\x08'))).toBe('word.deleteBack'); // Ctrl+H, as terminals send Ctrl+Backspace
    expect(actionFor('paste', parseKey('J'))).toBe('paste.join');
    expect(actionFor('global', parseKey('\x03'))).toBe('quit');
    expect(actionFor('global', parseKey('\x0c'))).toBe('screen.redraw'); // Ctrl+L
    expect(actionFor('login', parseKey('\x0c'))).toBe('screen.redraw');
    expect(keyLabel('ctrl+shift+tab')).toBe('Ctrl+Shift+Tab');
  });

  test("the README's key tables are the keymap's", () => {
    const readme = fs.readFileSync(new URL('../../../../README.md', import.meta.url), 'utf8');
    const m = /<!-- keys:start -->\n([\s\S]*?)<!-- keys:end -->/.exec(readme);
    expect(m?.[1]).toBe(keyTableMarkdown());
  });
});

// ---------------------------------------------------------------------------------------------
// The reducer

const layout = chatLayout(80, 24);
function env(patch: Partial<Env> = {}, statePatch = {}): Env {
  const state = makeState({ messages: { bob: msgs(100) }, ...statePatch });
  return {
    state,
    layout,
    commands: [],
    messageList: () =>
      messageList(state.messages.bob ?? [], layout.messagesWidth - 2, layout.topHeight - 2, 'alice', 'bob') as VirtualList<unknown>,
    responseList: () => responseList(state.responses, layout.columns - 2, layout.responsesHeight - 2) as VirtualList<unknown>,
    complete: (line) => (line === '/ms' ? ['/msg '] : line === '/msg b' ? ['/msg bob ', '/msg bobby '] : []),
    lineEffect,
    olderMayExist: () => true,
    unsent: () => 0,
    ...patch,
  };
}

const typed = (value: string, cursor = value.length): UiState => ({
  ...initialUi(),
  editor: { ...ed.emptyEditor(['first', 'second']), value, cursor },
});
const focused = (focus: UiState['focus']): UiState => ({ ...initialUi(), focus });
const press = (ui: UiState, id: string, e: Env = env()) => reduceKey(ui, keyOf(id), e);

type Check = (r: { ui: UiState; effects: Effect[] }, before: UiState) => void;
/** The people list open, narrowed to `filter`, on row `selected`. */
function peopleOpen(filter = '', selected = 0): UiState {
  return { ...initialUi(), people: { open: true, filter, selected } };
}
const PEOPLE = {
  prefix: '',
  users: ['al.b', 'alice', 'bob', 'carol', 'zoe'].map((name) => ({ name, online: false })),
  more: false,
  loading: false,
  error: null,
};
/** The client waiting to reconnect (a countdown in the status bar). */
const reconnecting = env(
  {},
  { connection: 'reconnecting', connectionDetail: 'server lost', reconnectAt: Date.now() + 2000, presenceKnown: false },
);
/** A case: the UI state, the key, what must follow, and the world it runs in (env() unless given). */
const cases: Record<Action, [UiState, string, Check, Env?][]> = {
  quit: [
    [initialUi(), 'ctrl+c', (r) => expect(r.effects).toEqual([{ type: 'quitNow' }])],
    // A typed line is cleared first, into the history; the next Ctrl+C quits.
    [
      typed('half a thought'),
      'ctrl+c',
      (r) => {
        expect(r.ui.editor.value).toBe('');
        expect(r.ui.editor.history.at(-1)).toBe('half a thought');
        expect(r.effects).toEqual([{ type: 'flash', text: 'line cleared; Up brings it back' }]);
      },
    ],
  ],
  'help.toggle': [[initialUi(), 'f1', (r) => expect(r.ui.help.open).toBe(true)]],
  'focus.conversations': [[initialUi(), 'alt+1', (r) => expect(r.ui.focus).toBe('conversations')]],
  'focus.messages': [[initialUi(), 'f3', (r) => expect(r.ui.focus).toBe('messages')]],
  'focus.responses': [[initialUi(), 'alt+3', (r) => expect(r.ui.focus).toBe('responses')]],
  'focus.input': [[focused('messages'), 'escape', (r) => expect(r.ui.focus).toBe('input')]],
  'focus.next': [[focused('conversations'), 'tab', (r) => expect(r.ui.focus).toBe('messages')]],
  'focus.previous': [[focused('conversations'), 'shift+tab', (r) => expect(r.ui.focus).toBe('input')]],
  'open.nextUnread': [
    [initialUi(), 'alt+a', (r) => expect(r.effects).toEqual([{ type: 'open', conversation: 'carol' }])],
    [initialUi(), 'ctrl+n', (r) => expect(r.effects).toEqual([{ type: 'open', conversation: 'carol' }])],
  ],
  'connection.retryNow': [
    // Reconnecting: the client is asked to start the next attempt now, from any pane, typed text untouched.
    [typed('half a li'), 'ctrl+r', (r, b) => (expect(r.effects).toEqual([{ type: 'retryNow' }]), expect(r.ui).toEqual(b)), reconnecting],
    [focused('conversations'), 'ctrl+r', (r) => expect(r.effects).toEqual([{ type: 'retryNow' }]), reconnecting],
    // Connected: nothing to retry, and it says so.
    [initialUi(), 'ctrl+r', (r) => expect(r.effects).toEqual([{ type: 'flash', text: 'connected: nothing to retry' }])],
  ],
  'line.submit': [
    [typed('hello'), 'return', (r) => expect(r.effects).toEqual([{ type: 'submit', line: 'hello' }])],
    [typed('/help'), 'return', (r) => (expect(r.ui.help.open).toBe(true), expect(r.effects).toEqual([]))],
    [typed('/quit'), 'return', (r) => expect(r.effects).toEqual([{ type: 'quit', line: '/quit' }])],
  ],
  'line.start': [[typed('abc'), 'home', (r) => expect(r.ui.editor.cursor).toBe(0)]],
  'line.end': [[typed('abc', 0), 'ctrl+e', (r) => expect(r.ui.editor.cursor).toBe(3)]],
  'line.endOrNewest': [
    [typed('abc', 1), 'end', (r) => expect(r.ui.editor.cursor).toBe(3)],
    [{ ...typed('abc'), messageScroll: { key: 'm1', below: 0, seenKey: 'm99' } }, 'end', (r) => expect(r.ui.messageScroll).toBeNull()],
  ],
  'line.newest': [
    [
      { ...typed('abc', 1), messageScroll: { key: 'm1', below: 0, seenKey: 'm99' } },
      'ctrl+end',
      (r) => expect(r.ui.messageScroll).toBeNull(),
    ],
  ],
  'char.left': [[typed('abc'), 'left', (r) => expect(r.ui.editor.cursor).toBe(2)]],
  'char.right': [[typed('abc', 1), 'ctrl+f', (r) => expect(r.ui.editor.cursor).toBe(2)]],
  'word.left': [[typed('one two'), 'alt+b', (r) => expect(r.ui.editor.cursor).toBe(4)]],
  'word.right': [[typed('one two', 0), 'ctrl+right', (r) => expect(r.ui.editor.cursor).toBe(3)]],
  'char.deleteBack': [[typed('abc'), 'backspace', (r) => expect(r.ui.editor.value).toBe('ab')]],
  'char.deleteForward': [[typed('abc', 0), 'ctrl+d', (r) => expect(r.ui.editor.value).toBe('bc')]],
  'word.deleteBack': [[typed('one two'), 'ctrl+w', (r) => expect(r.ui.editor.value).toBe('one ')]],
  'line.killToStart': [[typed('abc', 1), 'ctrl+u', (r) => expect(r.ui.editor.value).toBe('bc')]],
  'line.killToEnd': [[typed('abc', 1), 'ctrl+k', (r) => expect(r.ui.editor.value).toBe('a')]],
  'line.newline': [
    [
      typed('first line'),
      'alt+return',
      (r) => {
        expect(r.ui.editor.value).toBe('first line\n');
        expect(r.effects).toEqual([]); // nothing sent: Enter sends it all
      },
    ],
  ],
  'history.up': [[typed('draft'), 'up', (r) => expect(r.ui.editor.value).toBe('second')]],
  'history.down': [[press(typed('draft'), 'up').ui, 'down', (r) => expect(r.ui.editor.value).toBe('draft')]],
  'complete.next': [
    [typed('/ms'), 'tab', (r) => expect(r.ui.editor.value).toBe('/msg ')],
    // Nothing held fits: the screen asks the server (and says 'no completions' when it has none either).
    [typed('/zz'), 'tab', (r) => expect(r.effects).toEqual([{ type: 'completeLater', value: '/zz', cursor: 3, backwards: false }])],
    // With nothing typed, Tab moves between panes as everywhere.
    [typed(''), 'tab', (r) => expect(r.ui.focus).toBe('conversations')],
  ],
  'complete.previous': [[typed('/msg b'), 'shift+tab', (r) => expect(r.ui.editor.value).toBe('/msg bobby ')]],
  'messages.pageUp': [[initialUi(), 'pageup', (r) => expect(r.ui.messageScroll).not.toBeNull()]],
  'messages.pageDown': [
    [press(press(initialUi(), 'pageup').ui, 'pageup').ui, 'pagedown', (r, b) => expect(r.ui.messageScroll).not.toEqual(b.messageScroll)],
  ],
  'list.up': [[{ ...focused('conversations'), selected: 'carol' }, 'up', (r) => expect(r.ui.selected).toBe('bob')]],
  'list.down': [[{ ...focused('conversations'), selected: 'bob' }, 'down', (r) => expect(r.ui.selected).toBe('carol')]],
  'list.pageUp': [[{ ...focused('conversations'), selected: 'carol' }, 'pageup', (r) => expect(r.ui.selected).toBe('bob')]],
  'list.pageDown': [[{ ...focused('conversations'), selected: 'bob' }, 'pagedown', (r) => expect(r.ui.selected).toBe('(broadcasts)')]],
  'list.first': [[{ ...focused('conversations'), selected: 'carol' }, 'home', (r) => expect(r.ui.selected).toBe('bob')]],
  'list.last': [[{ ...focused('conversations'), selected: 'bob' }, 'end', (r) => expect(r.ui.selected).toBe('(broadcasts)')]],
  'list.open': [
    [
      { ...focused('conversations'), selected: 'carol' },
      'return',
      (r) => (expect(r.effects).toEqual([{ type: 'open', conversation: 'carol' }]), expect(r.ui.focus).toBe('input')),
    ],
  ],
  'scroll.up': [[focused('messages'), 'up', (r) => expect(r.ui.messageScroll).not.toBeNull()]],
  'scroll.down': [[press(focused('messages'), 'pageup').ui, 'down', (r, b) => expect(r.ui.messageScroll).not.toEqual(b.messageScroll)]],
  'scroll.pageUp': [[focused('messages'), 'pageup', (r) => expect(r.ui.messageScroll).not.toBeNull()]],
  'scroll.pageDown': [
    [
      press(press(focused('messages'), 'pageup').ui, 'pageup').ui,
      'pagedown',
      (r, b) => expect(r.ui.messageScroll).not.toEqual(b.messageScroll),
    ],
  ],
  'scroll.top': [
    // At the top of what is held, the older page is asked for.
    [focused('messages'), 'home', (r) => expect(r.effects).toEqual([{ type: 'loadOlder', conversation: 'bob' }])],
  ],
  'scroll.bottom': [[press(focused('messages'), 'pageup').ui, 'end', (r) => expect(r.ui.messageScroll).toBeNull()]],
  'pane.leave': [[focused('responses'), 'return', (r) => expect(r.ui.focus).toBe('input')]],
  'help.close': [[{ ...initialUi(), help: { open: true, top: 0 } }, 'escape', (r) => expect(r.ui.help.open).toBe(false)]],
  'people.toggle': [
    [
      initialUi(),
      'f6',
      (r) => {
        expect(r.ui.people).toEqual({ open: true, filter: '', selected: 0 });
        expect(r.effects).toEqual([{ type: 'people', prefix: '', next: false }]);
      },
    ],
    [initialUi(), 'alt+p', (r) => expect(r.ui.people.open).toBe(true)],
  ],
  'people.close': [
    [peopleOpen(), 'escape', (r) => expect(r.ui.people.open).toBe(false)],
    [peopleOpen(), 'f6', (r) => expect(r.ui.people.open).toBe(false)],
  ],
  // The rest of the search results' keys: search-keys.test.ts.
  'search.close': [
    [{ ...initialUi(), search: { open: true, selected: 0, serial: 1 } }, 'escape', (r) => expect(r.ui.search.open).toBe(false)],
  ],
  'paste.send': [
    [
      { ...initialUi(), editor: ed.paste(ed.emptyEditor(), 'one\ntwo') },
      'return',
      (r) =>
        expect(r.effects).toEqual([
          { type: 'submit', line: 'one' },
          { type: 'submit', line: 'two' },
        ]),
    ],
  ],
  'paste.asOne': [
    [
      { ...initialUi(), editor: ed.paste(ed.emptyEditor(), 'one\n\ntwo\n') },
      'm',
      (r) => expect(r.ui.editor).toMatchObject({ value: 'one\n\ntwo', paste: null }),
    ],
  ],
  'paste.join': [
    [{ ...initialUi(), editor: ed.paste(ed.emptyEditor(), 'one\ntwo') }, 'j', (r) => expect(r.ui.editor.value).toBe('one two')],
  ],
  'paste.cancel': [
    [{ ...initialUi(), editor: ed.paste(ed.emptyEditor(), 'one\ntwo') }, 'escape', (r) => expect(r.ui.editor.paste).toBeNull()],
  ],
  'quit.confirm': [
    [{ ...initialUi(), confirmQuit: { line: null } }, 'return', (r) => expect(r.effects).toEqual([{ type: 'quitNow' }])],
    [{ ...initialUi(), confirmQuit: { line: '/quit' } }, 'ctrl+c', (r) => expect(r.effects).toEqual([{ type: 'quit', line: '/quit' }])],
  ],
  'quit.stay': [
    [
      { ...initialUi(), confirmQuit: { line: null } },
      'escape',
      (r) => {
        expect(r.ui.confirmQuit).toBeNull();
        expect(r.effects).toEqual([]);
      },
    ],
  ],
  'screen.redraw': [
    [typed('half typed'), 'ctrl+l', (r, b) => (expect(r.effects).toEqual([{ type: 'redraw' }]), expect(r.ui).toEqual(b))],
    // With the help open or a paste waiting, it redraws and leaves them as they are.
    [
      { ...initialUi(), help: { open: true, top: 3 } },
      'ctrl+l',
      (r, b) => (expect(r.effects).toEqual([{ type: 'redraw' }]), expect(r.ui).toEqual(b)),
    ],
    [
      { ...initialUi(), editor: ed.paste(ed.emptyEditor(), 'one\ntwo') },
      'ctrl+l',
      (r, b) => (expect(r.effects).toEqual([{ type: 'redraw' }]), expect(r.ui).toEqual(b)),
    ],
  ],
  // The login screen's own (see login-screen.test.tsx).
  'login.next': [],
  'login.nextField': [],
  'login.previousField': [],
  'login.toggleRegister': [],
  'login.toggleRemember': [],
};

describe('the chat reducer, an action at a time', () => {
  const withPreview = env(
    {},
    {
      conversations: [
        { with: 'bob', unread: 0, online: true, lastAt: 2 },
        { with: 'carol', unread: 1, online: false, lastAt: 1 },
      ],
      previews: [arrival()],
    },
  );
  const all = Object.entries(cases).flatMap(([action, list]) =>
    list.map(([ui, id, check, world], i) => [`${action} #${i + 1} (${id})`, action, ui, id, check, world] as const),
  );
  test.each(all)('%s', (_name, action, ui, id, check, world) => {
    const e = world ?? (action === 'open.nextUnread' ? withPreview : env());
    const context = ui.confirmQuit
      ? 'quit'
      : ui.editor.paste
        ? 'paste'
        : ui.help.open
          ? 'help'
          : ui.people.open
            ? 'people'
            : ui.search.open
              ? 'search'
              : ui.focus === 'input'
                ? 'input'
                : ui.focus === 'conversations'
                  ? 'list'
                  : 'pane';
    expect(actionFor(context, keyOf(id)) ?? actionFor('global', keyOf(id))).toBe(action);
    check(reduceKey(ui, keyOf(id), e), ui);
  });

  test('every chat action has a case here', () => {
    const bound = new Set(
      (['global', 'input', 'list', 'pane', 'help', 'people', 'search', 'paste', 'quit'] as const).flatMap((c) =>
        KEYMAP[c].map((b) => b.action),
      ),
    );
    for (const action of bound) expect({ action, cases: cases[action].length > 0 }).toEqual({ action, cases: true });
  });

  test('keys typed while a paste waits run after the decision, in order; typing in a pane goes to the input line', () => {
    let ui: UiState = { ...initialUi(), editor: ed.paste(ed.emptyEditor(), 'one\ntwo') };
    for (const k of ['x', 'y']) ui = reduceKey(ui, keyOf(k), env()).ui;
    expect(ui.held.map((k) => k.text)).toEqual(['x', 'y']);
    const done = reduceKey(ui, keyOf('escape'), env());
    expect(done.ui.editor.value).toBe('xy');
    expect(done.ui.held).toEqual([]);
    const typedInPane = reduceKey(focused('messages'), keyOf('h'), env());
    expect(typedInPane.ui).toMatchObject({ focus: 'input', editor: { value: 'h' } });
  });

  test('quitting with messages not sent yet asks first (Ctrl+C and /quit); any other key stays and does its job', () => {
    const waiting = env({ unsent: () => 2 });
    const asked = reduceKey(initialUi(), keyOf('ctrl+c'), waiting);
    expect(asked).toMatchObject({ ui: { confirmQuit: { line: null } }, effects: [] });
    const typedQuit = reduceKey(typed('/quit'), keyOf('return'), waiting);
    expect(typedQuit).toMatchObject({ ui: { confirmQuit: { line: '/quit' } }, effects: [] });
    const other = reduceKey(asked.ui, keyOf('f2'), waiting);
    expect(other.ui).toMatchObject({ confirmQuit: null, focus: 'conversations' });
    expect(other.effects).toEqual([]);
    // Nothing waiting: /quit goes at once.
    expect(reduceKey(typed('/quit'), keyOf('return'), env()).effects).toEqual([{ type: 'quit', line: '/quit' }]);
  });

  test('with the help open, another key closes it and does its job; F1 only closes it', () => {
    const open = { ...initialUi(), help: { open: true, top: 0 } };
    expect(reduceKey(open, keyOf('f2'), env()).ui).toMatchObject({ help: { open: false }, focus: 'conversations' });
    expect(reduceKey(open, keyOf('f1'), env()).ui.help.open).toBe(false);
    expect(reduceKey(open, keyOf('pagedown'), env()).ui.help.open).toBe(true);
  });
});

describe('the people list (F6), a key at a time', () => {
  const world = (people: object = PEOPLE) => env({}, { people, online: ['bob'] });

  test('typing narrows it by the start of a name and asks the server for those; Backspace widens it again', () => {
    let r = press(peopleOpen(), 'a', world());
    expect(r.ui.people).toEqual({ open: true, filter: 'a', selected: 0 });
    expect(r.effects).toEqual([{ type: 'people', prefix: 'a', next: false }]);
    r = press(r.ui, 'L', world());
    expect(r.ui.people.filter).toBe('al');
    expect(peopleShown(world().state, 'al').map((p) => p.name)).toEqual(['al.b', 'alice']);
    r = press(r.ui, 'backspace', world());
    expect(r.ui.people.filter).toBe('a');
    expect(r.effects).toEqual([{ type: 'people', prefix: 'a', next: false }]);
    // A character no name holds is said, and changes nothing.
    const bad = press(r.ui, '!', world());
    expect(bad.ui.people.filter).toBe('a');
    expect(bad.effects).toEqual([{ type: 'flash', text: 'names hold only a-z, 0-9, _ . and -' }]);
  });

  test('Enter opens the conversation with the selected person and goes to the input line; on yourself it says so', () => {
    // alice is the one logged in (makeState): that is you.
    const you = press(peopleOpen('', 1), 'return', world());
    expect(you.effects).toEqual([{ type: 'flash', text: 'that is you; pick someone else' }]);
    expect(you.ui.people.open).toBe(true);
    const bob = press(press(peopleOpen('', 1), 'down', world()).ui, 'return', world());
    expect(bob.effects).toEqual([{ type: 'open', conversation: 'bob' }]);
    expect(bob.ui.people.open).toBe(false);
    expect(bob.ui.focus).toBe('input');
  });

  test('moving near the end of what is loaded asks for the next page when there is one', () => {
    const more = { ...PEOPLE, more: true };
    expect(press(peopleOpen(), 'end', world(more)).effects).toEqual([{ type: 'people', prefix: '', next: true }]);
    expect(press(peopleOpen(), 'end', world()).effects).toEqual([]);
    expect(press(peopleOpen('', 4), 'down', world()).ui.people.selected).toBe(4);
  });

  test('online as known now; yourself marked', () => {
    expect(peopleShown(world().state, '')).toEqual([
      { name: 'al.b', online: false, you: false },
      { name: 'alice', online: true, you: true },
      { name: 'bob', online: true, you: false },
      { name: 'carol', online: false, you: false },
      { name: 'zoe', online: false, you: false },
    ]);
  });

  test('another key closes it and does its own job; F1 opens the help in its place', () => {
    const f2 = press(peopleOpen(), 'f2', world());
    expect(f2.ui.people.open).toBe(false);
    expect(f2.ui.focus).toBe('conversations');
    const f1 = press(peopleOpen(), 'f1', world());
    expect(f1.ui.people.open).toBe(false);
    expect(f1.ui.help.open).toBe(true);
  });
});
