/** How keys are written for people: the help overlay, hints on screen and the README's key table, all from the keymap. */
import { KEYMAP, type Action, type KeyContext } from './keymap.js';

const NAMES: Record<string, string> = {
  ctrl: 'Ctrl',
  alt: 'Alt',
  shift: 'Shift',
  return: 'Enter',
  escape: 'Esc',
  pageup: 'PgUp',
  pagedown: 'PgDn',
  backspace: 'Backspace',
  delete: 'Delete',
  tab: 'Tab',
  up: 'Up',
  down: 'Down',
  left: 'Left',
  right: 'Right',
  home: 'Home',
  end: 'End',
};

/** 'ctrl+a' -> 'Ctrl+A', 'pageup' -> 'PgUp', 'f2' -> 'F2', 'j' -> 'J'. */
export function keyLabel(id: string): string {
  return id
    .split('+')
    .map((part) => NAMES[part] ?? (part.length === 1 || /^f\d+$/.test(part) ? part.toUpperCase() : part))
    .join('+');
}

/** The first key bound to `action` in `context`, as the help writes it ('Ctrl+R'), for hints on screen. */
export function keyFor(context: KeyContext, action: Action): string {
  const binding = KEYMAP[context].find((b) => b.action === action);
  return binding ? keyLabel(binding.keys[0]!) : '';
}

/** The sections of the help and of the README's key table, in order. */
export const KEY_SECTIONS: readonly { context: KeyContext; title: string }[] = [
  { context: 'global', title: 'Everywhere' },
  { context: 'input', title: 'The input line' },
  { context: 'list', title: 'The conversation list (F2)' },
  { context: 'pane', title: 'The messages (F3) and responses (F4)' },
  { context: 'paste', title: 'A paste of several lines (it waits for one of these)' },
  { context: 'quit', title: 'Quitting while messages are not sent yet (it asks)' },
  { context: 'help', title: 'The help (F1)' },
  { context: 'people', title: 'The people list (F6)' },
  { context: 'search', title: 'Search results (/search)' },
  { context: 'login', title: 'The login screen' },
];

/** The README's key tables, as markdown (a test checks the README holds exactly this). */
export function keyTableMarkdown(): string {
  const out: string[] = [];
  for (const { context, title } of KEY_SECTIONS) {
    out.push(`**${title}**`, '', '| keys | action |', '|---|---|');
    for (const b of KEYMAP[context]) out.push(`| ${b.keys.map(keyLabel).join(', ')} | ${b.help} |`);
    out.push('');
  }
  return out.join('\n').trimEnd() + '\n';
}
