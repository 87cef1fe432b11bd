/** Colours: one stable colour per user name, and the theme used by the panes. */

const NAME_COLORS = [
  'red',
  'green',
  'yellow',
  'blue',
  'magenta',
  'cyan',
  'redBright',
  'greenBright',
  'yellowBright',
  'blueBright',
  'magentaBright',
  'cyanBright',
] as const;

export type NameColor = (typeof NAME_COLORS)[number];

/** FNV-1a: small, fast, and the same on every machine and every run. */
function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** The colour of a user name: derived from the name alone, so it never changes. */
export function nameColor(name: string): NameColor {
  return NAME_COLORS[hash(name.toLowerCase()) % NAME_COLORS.length];
}

export const theme = {
  focusBorder: 'cyan',
  border: 'gray',
  dim: 'gray',
  error: 'red',
  notice: 'yellow',
  usage: 'yellow',
  info: undefined,
  selected: 'cyan',
  unread: 'yellow',
  online: 'green',
  /** The "── new ──" line. */
  newLine: 'redBright',
  /** One's own name in others' messages. */
  mention: 'magentaBright',
  /** A broadcast to everyone shown inside a pair conversation. */
  broadcast: 'cyan',
  /** The preview line of a message elsewhere. */
  preview: 'yellow',
  /** A searched word in the search results. */
  match: 'yellowBright',
} as const;

/** The presence mark while the connection is down: not known, neither online (●) nor offline. */
export const PRESENCE_UNKNOWN = '◌';
/** Online but away (/away): a half-filled mark, so it shows without colour too (NO_COLOR). */
export const PRESENCE_AWAY = '◐';

export const connectionColor: Record<string, string> = {
  connected: 'green',
  connecting: 'yellow',
  reconnecting: 'yellow',
  offline: 'red',
  idle: 'gray',
};
