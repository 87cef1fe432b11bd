/**
 * One search match as a row of the results: when (the time today, else the day), the
 * conversation, the sender, and the text on one line, cut to the width around the first match,
 * with every matched word start highlighted. The text is made inert (sanitize.ts) first.
 */
import { conversationWith, type ChatMessage } from '@tui-chat/protocol';
import { nameColor, theme } from './colors.js';
import { formatTime, sameDay } from './message-rows.js';
import { sanitizeInline } from './sanitize.js';
import { markedRow, type Mark, type Row, type Segment } from './segments.js';
import { displayWidth, truncateWidth } from './text-layout.js';

/** A word as searchTerms reads one: letters, combining marks, digits, `_`. */
const WORD = /[\p{L}\p{M}\p{N}_]+/gu;

/**
 * A match stands out in bold and colour, underlined; with NO_COLOR (no colour, no bold) in
 * reverse video, which is not a colour (Pane.tsx writes it by hand then).
 */
export function matchStyle(noColor = Boolean(process.env.NO_COLOR)): Omit<Segment, 'text'> {
  return noColor ? { inverse: true } : { color: theme.match, bold: true, underline: true };
}

/**
 * Where `terms` (searchTerms: NFKC, lower case) start words of `text`: [start, end) in `text`.
 * A word that NFKC changes in length (a ligature, a full-width form) is marked whole.
 */
export function matchRanges(text: string, terms: readonly string[]): [number, number][] {
  const ranges: [number, number][] = [];
  if (terms.length === 0) return ranges;
  for (const m of text.matchAll(WORD)) {
    const word = m[0];
    const normal = word.normalize('NFKC').toLowerCase();
    const term = terms.find((t) => normal.startsWith(t));
    if (term === undefined) continue;
    const length = normal.length === word.length ? term.length : word.length;
    ranges.push([m.index, m.index + length]);
  }
  return ranges;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** "14:05" today, "3 Jun" this year, "Jun 2024" before: at most 8 characters. */
export function whenLabel(at: number, now: number): string {
  if (sameDay(at, now)) return formatTime(at);
  const d = new Date(at);
  if (d.getFullYear() === new Date(now).getFullYear()) return `${d.getDate()} ${MONTHS[d.getMonth()]}`;
  return `${MONTHS[d.getMonth()]} ${d.getFullYear()}`;
}

export interface HitColumns {
  when: number;
  conversation: number;
  sender: number;
}

/** Widths of the columns for the matches shown: their longest labels and names, the names within bounds. */
export function hitColumns(messages: readonly ChatMessage[], me: string, width: number, now: number): HitColumns {
  let when = 5;
  let conversation = 4;
  let sender = 4;
  for (const m of messages) {
    when = Math.max(when, whenLabel(m.at, now).length);
    conversation = Math.max(conversation, displayWidth(sanitizeInline(conversationWith(m, me))));
    sender = Math.max(sender, displayWidth(sanitizeInline(m.from)));
  }
  const cap = Math.max(6, Math.floor(width / 6));
  return { when, conversation: Math.min(conversation, cap), sender: Math.min(sender, cap) };
}

/** `text` cut to `width` cells: from its start when the first match fits, else from a little before that match, after "…". */
function excerpt(text: string, ranges: [number, number][], width: number): { text: string; ranges: [number, number][] } {
  const first = ranges[0];
  if (!first || displayWidth(text.slice(0, first[1])) <= width) return { text: truncateWidth(text, width), ranges };
  // Start a few words before the match: about a quarter of the room for what leads up to it.
  let from = first[0];
  while (from > 0 && displayWidth(text.slice(from - 1, first[0])) < Math.floor(width / 4)) from--;
  // From the start of a word, not inside one (nor inside a surrogate pair).
  while (from > 0 && from < first[0] && !/\s/.test(text[from - 1]!)) from++;
  if (from > 0 && /[\uDC00-\uDFFF]/.test(text[from]!)) from--;
  const lead = '… ';
  const shown = lead + text.slice(from);
  const shift = lead.length - from;
  return {
    text: truncateWidth(shown, width),
    ranges: ranges.filter(([, end]) => end > from).map(([s, e]) => [Math.max(lead.length, s + shift), e + shift]),
  };
}

function column(text: string, width: number): string {
  const cut = truncateWidth(text, width);
  return cut + ' '.repeat(Math.max(0, width - displayWidth(cut)));
}

/** The row of one match (without the selection mark) in `width` cells. */
export function hitRow(
  m: ChatMessage,
  options: { me: string; terms: readonly string[]; columns: HitColumns; width: number; now: number },
): Row {
  const { me, terms, columns, width, now } = options;
  const conversation = sanitizeInline(conversationWith(m, me));
  const head: Row = [
    { text: ' ' + column(whenLabel(m.at, now), columns.when), color: theme.dim },
    {
      text: ' ' + column(conversation, columns.conversation),
      color: conversation.startsWith('#') ? theme.selected : nameColor(conversation),
    },
    { text: ' ' + column(sanitizeInline(m.from), columns.sender), color: nameColor(m.from), bold: true },
    { text: ' ' },
  ];
  const room = Math.max(1, width - head.reduce((n, s) => n + displayWidth(s.text), 0));
  const text = sanitizeInline(m.text);
  const shown = excerpt(text, matchRanges(text, terms), room);
  const style = matchStyle();
  const marks: Mark[] = shown.ranges.map(([start, end]) => ({ start, end, style }));
  return [...head, ...markedRow(shown.text, {}, marks)];
}
