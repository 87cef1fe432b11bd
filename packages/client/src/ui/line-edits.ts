import * as ed from './input-editor.js';
import type { Action } from './keymap.js';

/** What the editing actions do to a line (the input line's, and the login screen's fields). */
export const LINE_EDITS: Partial<Record<Action, (e: ed.EditorState) => ed.EditorState>> = {
  'line.start': ed.moveHome,
  'line.end': ed.moveEnd,
  'line.endOrNewest': ed.moveEnd,
  'char.left': ed.moveLeft,
  'char.right': ed.moveRight,
  'word.left': ed.wordLeft,
  'word.right': ed.wordRight,
  'char.deleteBack': ed.backspace,
  'char.deleteForward': ed.deleteForward,
  'word.deleteBack': ed.deleteWordBack,
  'line.killToStart': ed.killToStart,
  'line.killToEnd': ed.killToEnd,
  'line.newline': ed.insertBreak,
  'history.up': ed.historyUp,
  'history.down': ed.historyDown,
};
