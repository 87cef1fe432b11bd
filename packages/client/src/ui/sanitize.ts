/**
 * Text from the network is shown as text. Every string that came from a server or another user
 * goes through here before it is rendered: escape sequences, control characters, bidi overrides
 * and invisible characters are made visible and inert, so none of them ever reaches the terminal.
 *
 * - ESC becomes "␛" (so "\x1b[31m" shows as "␛[31m"); other C0 controls and DEL use caret
 *   notation ("^G", "^?"); C1 controls show as "\x9B".
 * - Bidi overrides/isolates/marks and zero-width or other invisible format characters show as
 *   "\u202E"-style code points.
 * - Tabs become spaces (to the next multiple of TAB_WIDTH); CR LF, CR, LF, U+2028 and U+2029 split
 *   lines.
 */

export const TAB_WIDTH = 4;

/** Characters rendered as "\uXXXX": bidi controls, zero-width and other invisible formatters. */
const INVISIBLE =
  // eslint-disable-next-line no-misleading-character-class
  /[\u00AD\u034F\u061C\u115F\u1160\u17B4\u17B5\u180E\u200B-\u200F\u202A-\u202E\u2060-\u206F\u3164\uFEFF\uFFA0\uFFF0-\uFFFB]|\uDB40[\uDC00-\uDC7F]/;

/** Everything that needs replacing, in one pass. Variation selectors stay: they shape emoji and CJK. */
const UNSAFE =
  // eslint-disable-next-line no-misleading-character-class
  /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u00AD\u034F\u061C\u115F\u1160\u17B4\u17B5\u180E\u200B-\u200F\u202A-\u202E\u2060-\u206F\u3164\uFEFF\uFFA0\uFFF0-\uFFFB]|\uDB40[\uDC00-\uDC7F]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

function hex(code: number, digits: number): string {
  return code.toString(16).toUpperCase().padStart(digits, '0');
}

/** The visible, inert stand-in for one unsafe character. */
export function visibleControl(ch: string): string {
  const code = ch.codePointAt(0) ?? 0;
  if (code === 0x1b) return '␛';
  if (code < 0x20) return '^' + String.fromCharCode(code + 0x40);
  if (code === 0x7f) return '^?';
  if (code >= 0x80 && code <= 0x9f) return '\\x' + hex(code, 2);
  if (code >= 0xd800 && code <= 0xdfff && ch.length === 1) return '\\u' + hex(code, 4);
  if (INVISIBLE.test(ch) || code > 0xffff) return code > 0xffff ? '\\u{' + hex(code, 5) + '}' : '\\u' + hex(code, 4);
  return ch;
}

function replaceUnsafe(text: string): string {
  return text.replace(UNSAFE, visibleControl);
}

function expandTabs(line: string): string {
  if (!line.includes('\t')) return line;
  let out = '';
  let column = 0;
  for (const part of line.split(/(\t)/)) {
    if (part === '\t') {
      const pad = TAB_WIDTH - (column % TAB_WIDTH);
      out += ' '.repeat(pad);
      column += pad;
    } else {
      out += part;
      column += [...part].length; // good enough for tab stops; widths are handled by the wrapper
    }
  }
  return out;
}

const LINE_BREAK = /\r\n|[\r\n\u2028\u2029]/;

/** Sanitises a multi-line text: one safe string per line. */
export function sanitizeLines(text: unknown): string[] {
  const raw = typeof text === 'string' ? text : String(text ?? '');
  return raw.split(LINE_BREAK).map((line) => replaceUnsafe(expandTabs(line)));
}

/** Sanitises text meant for one line (names, titles, the status bar): line breaks show as "␤". */
export function sanitizeInline(text: unknown): string {
  return sanitizeLines(text).join('␤');
}

/** Same as sanitizeLines joined with "\n": safe to hand to <Text> that splits lines itself. */
export function sanitize(text: unknown): string {
  return sanitizeLines(text).join('\n');
}
