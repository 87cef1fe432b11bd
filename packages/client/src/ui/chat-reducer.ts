/**
 * The chat screen's UI state and what a key does to it, as a plain function:
 * `reduceKey(ui, key, env) -> { ui, effects }`. The key is named by the keymap (keymap.ts) in the
 * contexts that apply (a waiting paste, the help, the focused pane, then everywhere); the effects
 * are what the screen then asks of the client (send a line, open a conversation, load older
 * messages, quit) or shows (a short flash). Tested without Ink, for every binding.
 */
import * as ed from './input-editor.js';
import { actionFor, type Action, type KeyContext } from './keymap.js';
import { LINE_EDITS } from './line-edits.js';
import type { KeyEvent } from './keys.js';
import { listAction, openNextUnread, scrollPane, SCROLLS, toNewest } from './reducer-moves.js';
import { peopleKey, togglePeople } from './people-list.js';
import { searchKey } from './search-list.js';
import { helpAction } from './help-keys.js';
import { PANE_ORDER, type Env, type PaneId, type Step, type UiState } from './ui-state.js';

export { followState, initialUi, PANE_ORDER, selectionIndex, type Effect, type Env, type PaneId, type UiState } from './ui-state.js';

export function reduceKey(ui: UiState, key: KeyEvent, env: Env): Step {
  const step: Step = { ui, effects: [] };
  applyKey(step, key, env);
  return step;
}

function applyKey(step: Step, key: KeyEvent, env: Env): void {
  // A search hit's mark lasts until the next key.
  if (step.ui.marked !== null) step.ui = { ...step.ui, marked: null };
  if (step.ui.confirmQuit) {
    const action = actionFor('quit', key);
    const { line } = step.ui.confirmQuit;
    step.ui = { ...step.ui, confirmQuit: null };
    if (action === 'quit.confirm') {
      step.effects.push(line ? { type: 'quit', line } : { type: 'quitNow' });
      return;
    }
    if (action === 'quit.stay') return;
    // Any other key stays, and does its own job.
  }
  const global = actionFor('global', key);
  if (global === 'screen.redraw') {
    // Whatever else is going on (a paste waiting, the help open): it acts at once and changes nothing else.
    step.effects.push({ type: 'redraw' });
    return;
  }
  if (global === 'quit') {
    quitKey(step, env);
    return;
  }
  if (step.ui.editor.paste) {
    const action = actionFor('paste', key);
    if (!action) {
      step.ui = { ...step.ui, held: [...step.ui.held, key] };
      return;
    }
    decidePaste(step, action, env);
    // The keys typed meanwhile now run, in order.
    const held = step.ui.held;
    step.ui = { ...step.ui, held: [] };
    for (const k of held) applyKey(step, k, env);
    return;
  }
  if (step.ui.help.open) {
    const action = actionFor('help', key);
    if (action) {
      helpAction(step, action, env);
      return;
    }
    // Any other key closes the help, and does its own job (F1 only closes it).
    step.ui = { ...step.ui, help: { open: false, top: 0 } };
    if (actionFor('global', key) === 'help.toggle') return;
  }
  if (step.ui.people.open) {
    if (peopleKey(step, key, env)) return;
    // Any other key closed the list, and does its own job (F6 and Alt+P only close it).
    if (actionFor('global', key) === 'people.toggle') return;
  }
  if (step.ui.search.open && searchKey(step, key, env)) return;
  if (key.name === 'paste') {
    step.ui = { ...step.ui, focus: 'input', editor: ed.paste(step.ui.editor, key.text) };
    return;
  }
  const local = focusContext(step.ui.focus);
  const action = actionFor(local, key) ?? actionFor('global', key);
  if (action) {
    act(step, action, env);
    return;
  }
  // Unbound: typing goes to the input line, wherever the focus is.
  if (key.name === 'text' && !key.ctrl && !key.meta) {
    step.ui = { ...step.ui, focus: 'input', editor: ed.insert(step.ui.editor, key.text) };
  }
}

/**
 * Ctrl+C: a typed line (or a paste waiting) is cleared first, as in a shell (the line goes to the
 * history); with nothing typed it quits, asking first when messages are not sent yet.
 */
function quitKey(step: Step, env: Env): void {
  const editor = step.ui.editor;
  if (editor.paste) {
    step.ui = { ...step.ui, editor: ed.cancelPaste(editor), held: [] };
    step.effects.push({ type: 'flash', text: 'paste cancelled; Ctrl+C again quits' });
    return;
  }
  if (editor.value !== '') {
    step.ui = { ...step.ui, focus: 'input', editor: ed.submitLine(editor).state };
    step.effects.push({ type: 'flash', text: 'line cleared; Up brings it back' });
    return;
  }
  askOrQuit(step, env, null);
}

/** Quits at once, or asks first when messages are not sent yet. */
function askOrQuit(step: Step, env: Env, line: string | null): void {
  if (env.unsent() > 0) step.ui = { ...step.ui, confirmQuit: { line } };
  else step.effects.push(line ? { type: 'quit', line } : { type: 'quitNow' });
}

function focusContext(focus: PaneId): KeyContext {
  return focus === 'input' ? 'input' : focus === 'conversations' ? 'list' : 'pane';
}

function decidePaste(step: Step, action: Action, env: Env): void {
  const editor = step.ui.editor;
  if (action === 'paste.send') {
    const lines = ed.pasteLines(editor);
    step.ui = { ...step.ui, editor: ed.emptyEditor(editor.history), messageScroll: null };
    for (const line of lines) submitLine(step, line, env);
  } else if (action === 'paste.join') {
    step.ui = { ...step.ui, editor: ed.joinPaste(editor) };
  } else if (action === 'paste.asOne') {
    step.ui = { ...step.ui, editor: ed.keepPaste(editor) };
  } else {
    step.ui = { ...step.ui, editor: ed.cancelPaste(editor) };
  }
}

/** A line entered: the help opens, /quit quits after it is sent, anything else goes to the client. */
function submitLine(step: Step, line: string, env: Env): void {
  const trimmed = line.trim();
  if (trimmed === '') return;
  const effect = env.lineEffect(trimmed);
  if (effect === 'help') {
    step.ui = { ...step.ui, help: { open: true, top: 0 } };
    return;
  }
  if (effect === 'quit') {
    askOrQuit(step, env, trimmed);
    return;
  }
  // Text for the conversation: the view follows it to the newest.
  if (!trimmed.startsWith('/') || trimmed.startsWith('//')) step.ui = { ...step.ui, messageScroll: null };
  step.effects.push({ type: 'submit', line });
}

const PANE_JUMPS: Partial<Record<Action, PaneId>> = {
  'focus.conversations': 'conversations',
  'focus.messages': 'messages',
  'focus.responses': 'responses',
  'focus.input': 'input',
};

function act(step: Step, action: Action, env: Env): void {
  if (action === 'line.endOrNewest') {
    // End at the end of the line jumps the messages to the newest.
    if (step.ui.editor.cursor === step.ui.editor.value.length) toNewest(step, env);
    else step.ui = { ...step.ui, editor: ed.moveEnd(step.ui.editor) };
    return;
  }
  const jump = PANE_JUMPS[action];
  if (jump) {
    // Esc (and every jump) also ends a completion in progress.
    step.ui = { ...step.ui, focus: jump, editor: { ...step.ui.editor, completion: null } };
    return;
  }
  const edit = LINE_EDITS[action];
  if (edit) {
    step.ui = { ...step.ui, editor: edit(step.ui.editor) };
    return;
  }
  const scroll = SCROLLS[action];
  if (scroll) {
    const pane = action.startsWith('messages.') || step.ui.focus !== 'responses' ? 'messages' : 'responses';
    scrollPane(step, pane, scroll, env);
    return;
  }
  switch (action) {
    case 'help.toggle':
      step.ui = {
        ...step.ui,
        help: { open: !step.ui.help.open, top: 0 },
        people: { ...step.ui.people, open: false },
        search: { ...step.ui.search, open: false },
      };
      return;
    case 'people.toggle':
      togglePeople(step);
      return;
    case 'focus.next':
    case 'focus.previous': {
      const at = PANE_ORDER.indexOf(step.ui.focus);
      const n = PANE_ORDER.length;
      step.ui = { ...step.ui, focus: PANE_ORDER[(at + (action === 'focus.previous' ? n - 1 : 1)) % n]! };
      return;
    }
    case 'complete.next':
    case 'complete.previous': {
      // With nothing typed, Tab moves between panes as everywhere else.
      if (step.ui.editor.value === '') return act(step, action === 'complete.next' ? 'focus.next' : 'focus.previous', env);
      const backwards = action === 'complete.previous';
      const next = ed.complete(step.ui.editor, env.complete, backwards);
      // Nothing held fits: the screen asks the server for names (it says 'no completions' if none).
      if (next.value === step.ui.editor.value && !next.completion) {
        step.effects.push({ type: 'completeLater', value: next.value, cursor: next.cursor, backwards });
      }
      step.ui = { ...step.ui, editor: next };
      return;
    }
    case 'open.nextUnread':
      openNextUnread(step, env);
      return;
    case 'connection.retryNow':
      step.effects.push(
        env.state.connection === 'reconnecting' ? { type: 'retryNow' } : { type: 'flash', text: 'connected: nothing to retry' },
      );
      return;
    case 'line.submit': {
      const { state: next, line } = ed.submitLine(step.ui.editor);
      if (line.trim() === '') return;
      step.ui = { ...step.ui, editor: next };
      submitLine(step, line, env);
      return;
    }
    case 'line.newest':
      toNewest(step, env);
      return;
    case 'pane.leave':
      step.ui = { ...step.ui, focus: 'input' };
      return;
    case 'list.up':
    case 'list.down':
    case 'list.pageUp':
    case 'list.pageDown':
    case 'list.first':
    case 'list.last':
    case 'list.open':
      listAction(step, action, env);
      return;
    default:
  }
}
