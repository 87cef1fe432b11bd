/**
 * Tab completion on the input line: the first Tab applies the first candidate (or the only one,
 * with a space after it), each further Tab the next (Shift+Tab the one before) until another edit
 * ends the cycle. Apart from input-editor.ts, whose EditorState carries the cycle.
 */
import type { EditorState } from './input-editor.js';

export interface Completion {
  /** The line as it was when Tab was first pressed. */
  base: string;
  candidates: string[];
  index: number;
  /** What followed the cursor when Tab was first pressed. */
  rest: string;
  /** The line after the current candidate was applied; any other edit ends the cycle. */
  applied: string;
}

/**
 * Applies one completion candidate to a line. Candidates may be whole lines ("/msg bob") or the
 * word under the cursor ("bob"); a word replaces the last word of the line.
 */
export function applyCandidate(base: string, candidate: string, unique: boolean): string {
  const cut = base.lastIndexOf(' ') + 1;
  const before = base.slice(0, cut);
  let line = candidate.startsWith(before) && before !== '' ? candidate : before + candidate;
  if (unique && !line.endsWith(' ')) line += ' ';
  return line;
}

/** A Tab press: start a completion from `candidates` or move to the next (or previous) one. */
export function complete(state: EditorState, candidatesFor: (line: string) => string[], backwards = false): EditorState {
  const cycling = state.completion && state.completion.applied === state.value ? state.completion : null;
  if (cycling) {
    const n = cycling.candidates.length;
    const index = (cycling.index + (backwards ? n - 1 : 1)) % n;
    const completed = applyCandidate(cycling.base, cycling.candidates[index], false);
    const value = completed + cycling.rest;
    return { ...state, value, cursor: completed.length, completion: { ...cycling, index, applied: value } };
  }
  const base = state.value.slice(0, state.cursor);
  const candidates = [...new Set(candidatesFor(base))];
  if (candidates.length === 0) return { ...state, completion: null };
  const unique = candidates.length === 1;
  const index = backwards ? candidates.length - 1 : 0;
  const completed = applyCandidate(base, candidates[index], unique);
  const rest = state.value.slice(state.cursor);
  const value = completed + rest;
  return {
    ...state,
    value,
    cursor: completed.length,
    completion: unique ? null : { base, candidates, index, rest, applied: value },
  };
}
