/**
 * The input line as a pure state machine: editing by grapheme, shell-like history, Tab
 * completion cycling (input-completion.ts) and a held multi-line paste. Kept in UI state only:
 * messages that arrive never touch it.
 */
import { graphemes } from './text-layout.js';
import type { Completion } from './input-completion.js';

// Completion is its own module; re-exported so the editor's operations stay one namespace (`ed.*`).
export { applyCandidate, complete, type Completion } from './input-completion.js';

export interface EditorState {
  value: string;
  /** Cursor as an offset into value (UTF-16 units, always at a grapheme boundary). */
  cursor: number;
  history: string[];
  /** Index into history while recalling, else null. */
  historyIndex: number | null;
  /** The half-typed line kept while recalling history. */
  draft: string;
  completion: Completion | null;
  /** A multi-line paste waiting for the user's decision. */
  paste: string[] | null;
}

export const HISTORY_MAX = 500;

export const emptyEditor = (history: string[] = []): EditorState => ({
  value: '',
  cursor: 0,
  history,
  historyIndex: null,
  draft: '',
  completion: null,
  paste: null,
});

/** Removes what cannot be part of a one-line message: escape sequences and control characters. */
export function cleanTyped(text: string): string {
  return text
    .replace(/\x1b\[[0-?]*[ -/]*[@-~]/g, '')
    .replace(/\x1b[\s\S]?/g, '')
    .replace(/\t/g, ' ')
    .replace(/[\x00-\x08\x0a-\x1f\x7f]/g, '');
}

/** Grapheme boundaries of a value, as UTF-16 offsets (0 and value.length included). */
export function boundaries(value: string): number[] {
  const out = [0];
  let offset = 0;
  for (const g of graphemes(value)) {
    offset += g.length;
    out.push(offset);
  }
  return out;
}

function edited(state: EditorState, value: string, cursor: number): EditorState {
  return { ...state, value, cursor, completion: null };
}

export function insert(state: EditorState, text: string): EditorState {
  const clean = cleanTyped(text);
  if (clean === '') return state;
  const value = state.value.slice(0, state.cursor) + clean + state.value.slice(state.cursor);
  return edited(state, value, state.cursor + clean.length);
}

/** A line break in the message (Alt+Enter): the one control character the input line holds. */
export function insertBreak(state: EditorState): EditorState {
  const value = state.value.slice(0, state.cursor) + '\n' + state.value.slice(state.cursor);
  return edited(state, value, state.cursor + 1);
}

function previousBoundary(value: string, cursor: number): number {
  const b = boundaries(value);
  for (let i = b.length - 1; i >= 0; i--) if (b[i] < cursor) return b[i];
  return 0;
}

function nextBoundary(value: string, cursor: number): number {
  for (const x of boundaries(value)) if (x > cursor) return x;
  return value.length;
}

export function backspace(state: EditorState): EditorState {
  if (state.cursor === 0) return state;
  const from = previousBoundary(state.value, state.cursor);
  return edited(state, state.value.slice(0, from) + state.value.slice(state.cursor), from);
}

export function deleteForward(state: EditorState): EditorState {
  if (state.cursor >= state.value.length) return state;
  const to = nextBoundary(state.value, state.cursor);
  return edited(state, state.value.slice(0, state.cursor) + state.value.slice(to), state.cursor);
}

export function moveLeft(state: EditorState): EditorState {
  return { ...state, cursor: previousBoundary(state.value, state.cursor), completion: null };
}

export function moveRight(state: EditorState): EditorState {
  return { ...state, cursor: nextBoundary(state.value, state.cursor), completion: null };
}

export function moveHome(state: EditorState): EditorState {
  return { ...state, cursor: 0, completion: null };
}

export function moveEnd(state: EditorState): EditorState {
  return { ...state, cursor: state.value.length, completion: null };
}

function wordStartBefore(value: string, cursor: number): number {
  let i = cursor;
  while (i > 0 && value[i - 1] === ' ') i--;
  while (i > 0 && value[i - 1] !== ' ') i--;
  return i;
}

function wordEndAfter(value: string, cursor: number): number {
  let i = cursor;
  while (i < value.length && value[i] === ' ') i++;
  while (i < value.length && value[i] !== ' ') i++;
  return i;
}

export function wordLeft(state: EditorState): EditorState {
  return { ...state, cursor: wordStartBefore(state.value, state.cursor), completion: null };
}

export function wordRight(state: EditorState): EditorState {
  return { ...state, cursor: wordEndAfter(state.value, state.cursor), completion: null };
}

export function deleteWordBack(state: EditorState): EditorState {
  const from = wordStartBefore(state.value, state.cursor);
  return edited(state, state.value.slice(0, from) + state.value.slice(state.cursor), from);
}

export function killToStart(state: EditorState): EditorState {
  return edited(state, state.value.slice(state.cursor), 0);
}

export function killToEnd(state: EditorState): EditorState {
  return edited(state, state.value.slice(0, state.cursor), state.cursor);
}

export function historyUp(state: EditorState): EditorState {
  if (state.history.length === 0) return state;
  if (state.historyIndex === null) {
    const index = state.history.length - 1;
    const value = state.history[index];
    return { ...state, draft: state.value, historyIndex: index, value, cursor: value.length, completion: null };
  }
  const index = Math.max(0, state.historyIndex - 1);
  const value = state.history[index];
  return { ...state, historyIndex: index, value, cursor: value.length, completion: null };
}

export function historyDown(state: EditorState): EditorState {
  if (state.historyIndex === null) return state;
  const index = state.historyIndex + 1;
  if (index >= state.history.length) {
    return { ...state, historyIndex: null, value: state.draft, cursor: state.draft.length, draft: '', completion: null };
  }
  const value = state.history[index];
  return { ...state, historyIndex: index, value, cursor: value.length, completion: null };
}

/** Clears the line and remembers it; returns the new state and the line to submit. */
export function submitLine(state: EditorState): { state: EditorState; line: string } {
  const line = state.value;
  let history = state.history;
  if (line.trim() !== '' && history[history.length - 1] !== line) {
    history = [...history, line].slice(-HISTORY_MAX);
  }
  return { state: emptyEditor(history), line };
}

/** A paste: one line goes into the input; several lines wait for a decision. */
export function paste(state: EditorState, text: string): EditorState {
  const lines = text.replace(/\r\n?/g, '\n').replace(/\n+$/, '').split('\n');
  if (lines.length <= 1) return insert(state, lines[0] ?? '');
  const before = state.value.slice(0, state.cursor);
  const after = state.value.slice(state.cursor);
  const all = lines.map((l) => cleanTyped(l));
  all[0] = before + all[0];
  all[all.length - 1] += after;
  return { ...state, paste: all, completion: null };
}

/** The lines a held paste would send (empty lines are skipped: they cannot be sent). */
export function pasteLines(state: EditorState): string[] {
  return (state.paste ?? []).filter((l) => l.trim() !== '');
}

/** Puts a held paste into the input as one line, joined with spaces, for editing. */
export function joinPaste(state: EditorState): EditorState {
  if (!state.paste) return state;
  const value = pasteLines(state).join(' ');
  return { ...state, paste: null, value, cursor: value.length, completion: null };
}

/** Puts a held paste into the input with its line breaks, to go as one message. */
export function keepPaste(state: EditorState): EditorState {
  if (!state.paste) return state;
  const value = state.paste.join('\n').replace(/^\n+|\n+$/g, '');
  return { ...state, paste: null, value, cursor: value.length, completion: null };
}

export function cancelPaste(state: EditorState): EditorState {
  return { ...state, paste: null };
}
