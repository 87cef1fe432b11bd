/**
 * Text from the network is shown as text. Every string that came from a server or another user
 * goes through here before it is rendered: escape sequences, control characters, bidi overrides
 * and invisible characters are made visible and inert, so none of them ever reaches the terminal.
 *
 * - ESC becomes "␛" (so "\x1b[31m" shows as "␛[31m"); other C0 controls and DEL use caret
 *   notation ("^G", "^?"); C1 controls show as "\x9B".
 * - Bidi overrides/isolates/marks and zero-width or other invisible format characters show as
 *   "\u202E"-style code points, except the ZWJs and tags inside an RGI emoji sequence (👨‍👩‍👧,
 *   🏴󠁧󠁢󠁳󠁣󠁴󠁿), which are part of the emoji a person sees.
 * - A combining mark (or any other character that takes no cell) with nothing to combine with,
 *   at the start of a line, shows as "\u0301": it would otherwise sit on whatever the terminal
 *   drew before it (a pane's border), and Ink would give it a cell the terminal does not. The
 *   same for a Hangul vowel or final consonant that follows no syllable.
 * - Tabs become spaces (to the next multiple of TAB_WIDTH); CR LF, CR, LF, U+2028 and U+2029 split
 *   lines.
 */

import { codePointWidth } from './cell-width.js';

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

/**
 * The emoji sequences whose ZWJs and tags are kept. Built at run time: the `v` flag (properties
 * of strings) is newer than the language level the package compiles to, not than Node 20.
 */
const EMOJI_SEQUENCE = new RegExp(String.raw`\p{RGI_Emoji_ZWJ_Sequence}|\p{RGI_Emoji_Tag_Sequence}`, 'gv');
/** Characters that may need the kept sequences found first (ZWJ, tag characters). */
const SEQUENCE_PARTS = /\u200D|\uDB40[\uDC20-\uDC7F]/;

function replaceUnsafe(text: string): string {
  if (!SEQUENCE_PARTS.test(text)) return text.replace(UNSAFE, visibleControl);
  let out = '';
  let at = 0;
  for (const m of text.matchAll(EMOJI_SEQUENCE)) {
    out += text.slice(at, m.index).replace(UNSAFE, visibleControl) + m[0];
    at = m.index + m[0].length;
  }
  return out + text.slice(at).replace(UNSAFE, visibleControl);
}

/** Code points that take no cell of their own (see cell-width.ts). */
const ZERO_WIDTH = /[\p{Mn}\p{Me}\p{Cf}\u1160-\u11FF\uD7B0-\uD7FF]/u;
const segmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

function codePoints(text: string): string {
  let shown = '';
  for (const ch of text) {
    const code = ch.codePointAt(0)!;
    shown += code > 0xffff ? '\\u{' + hex(code, 5) + '}' : '\\u' + hex(code, 4);
  }
  return shown;
}

/**
 * Clusters that begin with a character taking no cell (a mark with nothing before it to combine
 * with, a Hangul vowel after no syllable): those characters made visible. A terminal would put
 * them on whatever it drew before (a pane's border); Ink would give them a cell of their own.
 */
function visibleZeroWidth(line: string): string {
  if (!ZERO_WIDTH.test(line)) return line;
  let out = '';
  for (const { segment } of segmenter.segment(line)) {
    let lead = 0;
    for (const ch of segment) {
      if (codePointWidth(ch.codePointAt(0)!) > 0) break;
      lead += ch.length;
    }
    out += lead === 0 ? segment : codePoints(segment.slice(0, lead)) + segment.slice(lead);
  }
  return out;
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
  return raw.split(LINE_BREAK).map((line) => visibleZeroWidth(replaceUnsafe(expandTabs(line))));
}

/** Sanitises text meant for one line (names, titles, the status bar): line breaks show as "␤". */
export function sanitizeInline(text: unknown): string {
  return sanitizeLines(text).join('␤');
}

/** Same as sanitizeLines joined with "\n": safe to hand to <Text> that splits lines itself. */
export function sanitize(text: unknown): string {
  return sanitizeLines(text).join('\n');
}
