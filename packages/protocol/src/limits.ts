/** Limits both sides agree on. The server enforces them; the client uses them to warn early. */

/** User names: 1-32 of a-z, 0-9, `_`, `.`, `-`; compared and stored lower case. */
export const NAME_PATTERN = /^[a-z0-9_.-]{1,32}$/;
export const NAME_MAX_LENGTH = 32;

/** Passwords: long enough to matter, short enough that hashing them is bounded work. */
export const PASSWORD_MIN_LENGTH = 4;
export const PASSWORD_MAX_LENGTH = 256;

/** Message text, counted in UTF-8 bytes after trimming the line ends. */
export const MESSAGE_MAX_BYTES = 8 * 1024;

/** A list broadcast may name this many users at most. */
export const BROADCAST_LIST_MAX = 100;

/** `wholast N`: N is whole minutes from 1 to one year. */
export const WHOLAST_MIN_MINUTES = 1;
export const WHOLAST_MAX_MINUTES = 525_600;

/** `users:list`: names per page (the default, and the most a page holds). */
export const USERS_PAGE_DEFAULT = 100;
export const USERS_PAGE_MAX = 500;

/** History pages. */
export const HISTORY_PAGE_DEFAULT = 50;
export const HISTORY_PAGE_MAX = 500;

/**
 * `sync:since` (the catch-up after a reconnect): how many conversations one request may list, and
 * how many messages one answer carries before saying `more`.
 */
export const SYNC_CONVERSATIONS_MAX = 500;
export const SYNC_PAGE_DEFAULT = 500;
export const SYNC_PAGE_MAX = 1000;

/**
 * The messages of one answer (a history page, a catch-up, the inbox, broadcasts) stop at about
 * this many bytes as sent (JSON, escapes included: a control character costs 6), so a small
 * request can never bring a reply hundreds of times its size. An answer always carries at least
 * one message, so paging always moves on; the rest comes with the next page.
 */
export const REPLY_PAGE_MAX_BYTES = 256 * 1024;

/** The newest message in a conversation summary (the list, the catch-up) has its text cut to this many characters. */
export const SUMMARY_TEXT_MAX = 200;

/** A conversation id as it appears on the wire: two user names, sorted, joined by ':'; or a group, `#name`. */
export const CONVERSATION_ID_PATTERN = /^(?:[a-z0-9_.-]{1,32}:[a-z0-9_.-]{1,32}|#[a-z0-9_.-]{1,32})$/;

/**
 * Typing: a client says 'typing' to a conversation at most once per TYPING_REFRESH_MS while a
 * draft changes, and the receiver shows it until TYPING_EXPIRY_MS pass without another (or the
 * message, or a stop, arrives). Never stored.
 */
export const TYPING_REFRESH_MS = 3000;
export const TYPING_EXPIRY_MS = 6000;

/** An away text ("lunch, back at 3"): at most this many characters, one line. */
export const AWAY_TEXT_MAX = 100;

/**
 * An away text as it is kept and shown: one line. Control characters (line breaks, escapes), bidi
 * controls and zero-width characters, and runs of white space become one space, the ends trimmed
 * (the client shows it through its sanitiser all the same). Empty: no text.
 */
export function cleanAwayText(raw: string): string {
  return raw.replace(/[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff\s]+/g, ' ').trim();
}

/** A client message id: what the sender chose to make resends idempotent. */
export const CLIENT_ID_PATTERN = /^[A-Za-z0-9_-]{8,64}$/;

/** The largest socket.io packet the server accepts (bytes). */
export const MAX_PACKET_BYTES = 64 * 1024;

/** The default TCP port of `tui-chat serve` and `tui-chat connect`. */
export const DEFAULT_PORT = 4000;

/** Normalise a name as the server stores it. Does not validate. */
export function normalizeName(name: string): string {
  return name.trim().toLowerCase();
}

/** Why a new password is not acceptable, or null when it is (the client checks it before sending, the server again). */
export function passwordProblem(password: string): string | null {
  if (password.length < PASSWORD_MIN_LENGTH) return `A password needs at least ${PASSWORD_MIN_LENGTH} characters.`;
  if (password.length > PASSWORD_MAX_LENGTH) return `A password has at most ${PASSWORD_MAX_LENGTH} characters.`;
  return null;
}

/** Why a name is not acceptable, or null when it is. */
export function nameProblem(raw: string): string | null {
  const name = normalizeName(raw);
  if (name.length === 0) return 'A user name cannot be empty.';
  if (name.length > NAME_MAX_LENGTH) {
    return `A user name has at most ${NAME_MAX_LENGTH} characters.`;
  }
  if (!NAME_PATTERN.test(name)) {
    return 'A user name may only hold letters a-z, digits, "_", "." and "-".';
  }
  if (name === '.' || name === '..') return 'A user name cannot be "." or "..".';
  return null;
}

export function utf8Bytes(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}

/**
 * Names nobody may register (an admin may still add them with `tui-chat user add`): they would
 * pass for the server, its staff, or everyone.
 */
export const RESERVED_NAMES: readonly string[] = [
  'admin',
  'administrator',
  'root',
  'system',
  'server',
  'tui-chat',
  'tuichat',
  'support',
  'help',
  'moderator',
  'mod',
  'staff',
  'official',
  'security',
  'everyone',
  'all',
  'broadcast',
  'broadcasts',
  'nobody',
  'null',
  'undefined',
  'me',
  'you',
];

/**
 * Why `raw` cannot be a NEW account's name, or null. On top of nameProblem: it starts with a
 * letter or a digit, holds at least one letter, and is not reserved. (Existing accounts keep
 * logging in under the older, looser rule.)
 */
export function newNameProblem(raw: string, options: { reservedAllowed?: boolean } = {}): string | null {
  const problem = nameProblem(raw);
  if (problem) return problem;
  const name = normalizeName(raw);
  if (!/^[a-z0-9]/.test(name)) return 'A user name starts with a letter or a digit.';
  if (!/[a-z]/.test(name)) return 'A user name holds at least one letter.';
  if (!options.reservedAllowed && RESERVED_NAMES.includes(name)) return `The name ${name} is reserved; choose another.`;
  return null;
}

/**
 * What a name looks like, folded so that names a reader could take for one another fold alike
 * (after Unicode TR39's skeletons, for the characters names may hold): 1, i and l; 0 and o; rn
 * and m; vv and w; cl and d; the separators _ - . alike; trailing separators dropped.
 * `a1ice` and `alice`, `tview.` and `tview`, `tvievv` and `tview` have one skeleton.
 */
export function nameSkeleton(name: string): string {
  return normalizeName(name)
    .replace(/[1i]/g, 'l')
    .replace(/0/g, 'o')
    .replace(/rn/g, 'm')
    .replace(/vv/g, 'w')
    .replace(/cl/g, 'd')
    .replace(/[-_.]/g, '_')
    .replace(/_+$/, '');
}
