/**
 * Turns one raw input event from the terminal into a key. Ink's useInput hides F-keys and
 * Alt+digits, so the UI reads the raw events (already split into one key or one run of text
 * by Ink's input parser) and names them here.
 */

export type KeyName =
  | 'text'
  | 'return'
  | 'tab'
  | 'backspace'
  | 'delete'
  | 'insert'
  | 'escape'
  | 'up'
  | 'down'
  | 'left'
  | 'right'
  | 'home'
  | 'end'
  | 'pageup'
  | 'pagedown'
  | 'f1'
  | 'f2'
  | 'f3'
  | 'f4'
  | 'f5'
  | 'f6'
  | 'f7'
  | 'f8'
  | 'f9'
  | 'f10'
  | 'f11'
  | 'f12'
  | 'paste-start'
  | 'paste-end'
  /** A whole paste (bracketed, or a run of text with line breaks): `text` holds it. */
  | 'paste'
  | 'unknown';

export interface KeyEvent {
  name: KeyName;
  /** For 'text': the characters typed. For Ctrl/Alt+letter: the lower-case letter or digit. */
  text: string;
  ctrl: boolean;
  meta: boolean;
  shift: boolean;
  /** The raw sequence, for debugging. */
  raw: string;
}

const CSI_TILDE: Record<string, KeyName> = {
  '1': 'home',
  '2': 'insert',
  '3': 'delete',
  '4': 'end',
  '5': 'pageup',
  '6': 'pagedown',
  '7': 'home',
  '8': 'end',
  '11': 'f1',
  '12': 'f2',
  '13': 'f3',
  '14': 'f4',
  '15': 'f5',
  '17': 'f6',
  '18': 'f7',
  '19': 'f8',
  '20': 'f9',
  '21': 'f10',
  '23': 'f11',
  '24': 'f12',
  '200': 'paste-start',
  '201': 'paste-end',
};

const FINAL_LETTER: Record<string, KeyName> = {
  A: 'up',
  B: 'down',
  C: 'right',
  D: 'left',
  H: 'home',
  F: 'end',
  P: 'f1',
  Q: 'f2',
  R: 'f3',
  S: 'f4',
  Z: 'tab', // CSI Z is Shift+Tab
};

/** Linux console: ESC [ [ A .. E are F1..F5. */
const LINUX_CONSOLE: Record<string, KeyName> = { A: 'f1', B: 'f2', C: 'f3', D: 'f4', E: 'f5' };

function key(name: KeyName, raw: string, mods: Partial<Pick<KeyEvent, 'ctrl' | 'meta' | 'shift' | 'text'>> = {}): KeyEvent {
  return { name, raw, text: mods.text ?? '', ctrl: mods.ctrl ?? false, meta: mods.meta ?? false, shift: mods.shift ?? false };
}

/** xterm modifier parameter: 1 + (shift 1 | alt 2 | ctrl 4 | meta 8). */
function modifiers(param: string | undefined): { shift: boolean; meta: boolean; ctrl: boolean } {
  const m = Math.max(0, Number(param ?? '1') - 1);
  return { shift: (m & 1) !== 0, meta: (m & 2) !== 0 || (m & 8) !== 0, ctrl: (m & 4) !== 0 };
}

function parseSequence(body: string, raw: string, meta: boolean): KeyEvent {
  // SS3: ESC O <letter>, rxvt lower-case letters are Ctrl+arrows.
  let match = /^O([A-Za-z])$/.exec(body);
  if (match) {
    const letter = match[1];
    const lower = letter >= 'a' && letter <= 'd';
    const name = FINAL_LETTER[letter.toUpperCase()] ?? 'unknown';
    return key(name, raw, { meta, ctrl: lower });
  }
  match = /^\[\[([A-E])$/.exec(body);
  if (match) return key(LINUX_CONSOLE[match[1]], raw, { meta });
  match = /^\[(\d+)(?:;(\d+))?([~^$])$/.exec(body);
  if (match) {
    const name = CSI_TILDE[match[1]] ?? 'unknown';
    const mods = modifiers(match[2]);
    return key(name, raw, {
      shift: mods.shift || match[3] === '$',
      ctrl: mods.ctrl || match[3] === '^',
      meta: mods.meta || meta,
    });
  }
  match = /^\[(?:1?;(\d+))?([A-Za-z])$/.exec(body);
  if (match) {
    const letter = match[2];
    if (letter === 'Z') return key('tab', raw, { shift: true, meta });
    const lowerShift = letter >= 'a' && letter <= 'd'; // rxvt Shift+arrows
    const name = FINAL_LETTER[letter.toUpperCase()] ?? 'unknown';
    const mods = modifiers(match[1]);
    return key(name, raw, { shift: mods.shift || lowerShift, ctrl: mods.ctrl, meta: mods.meta || meta });
  }
  return key('unknown', raw, { meta });
}

/** Names one raw input event. */
export function parseKey(raw: string): KeyEvent {
  if (raw === '\r' || raw === '\n') return key('return', raw);
  if (raw === '\t') return key('tab', raw);
  if (raw === '\x7f' || raw === '\b') return key('backspace', raw, { ctrl: raw === '\b' });
  if (raw === '\x1b' || raw === '\x1b\x1b') return key('escape', raw);
  if (raw === '\x00') return key('text', raw, { ctrl: true, text: ' ' });
  if (raw.length === 1 && raw < ' ') {
    return key('text', raw, { ctrl: true, text: String.fromCharCode(raw.charCodeAt(0) + 96) });
  }
  if (raw.startsWith('\x1b[') || raw.startsWith('\x1bO')) return parseSequence(raw.slice(1), raw, false);
  if (raw.startsWith('\x1b\x1b[') || raw.startsWith('\x1b\x1bO')) return parseSequence(raw.slice(2), raw, true);
  if (raw.startsWith('\x1b') && [...raw].length === 2) {
    const ch = raw.slice(1);
    if (ch === '\r') return key('return', raw, { meta: true });
    if (ch === '\x7f') return key('backspace', raw, { meta: true });
    return key('text', raw, { meta: true, text: ch.toLowerCase(), shift: ch !== ch.toLowerCase() });
  }
  return key('text', raw, { text: raw });
}
