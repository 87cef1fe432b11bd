/** Turns one chat message into display rows: time, status mark, sender, wrapped text. */
import { mentionRanges } from '../core/arrivals.js';
import { BROADCASTS, type DisplayMessage } from '../core/types.js';
import { nameColor, theme } from './colors.js';
import { linkMarks, wrapLinked, type LinkedRow } from './links.js';
import { sanitizeInline, sanitizeLines } from './sanitize.js';
import { markedRow, type Mark, type Row } from './segments.js';
import { displayWidth, truncateWidth, wrapLines } from './text-layout.js';

export interface MessageRowOptions {
  /** Inner width of the pane. */
  width: number;
  /** Width of the sender column. */
  senderWidth: number;
  /** The logged-in user (own messages get status marks, and the name is highlighted in others'). */
  self: string | null;
  /** The broadcasts list is the one shown (a broadcast to everyone needs no label there). */
  inBroadcasts?: boolean;
}

const pad2 = (n: number) => String(n).padStart(2, '0');

export function formatTime(at: number): string {
  const d = new Date(at);
  return `${pad2(d.getHours())}:${pad2(d.getMinutes())}`;
}

const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** "Mon, 3 Jun 2024", the same with any ICU build or locale. */
export function formatDay(at: number): string {
  const d = new Date(at);
  return `${WEEKDAYS[d.getDay()]}, ${d.getDate()} ${MONTHS[d.getMonth()]} ${d.getFullYear()}`;
}

export function sameDay(a: number, b: number): boolean {
  const x = new Date(a);
  const y = new Date(b);
  return x.getFullYear() === y.getFullYear() && x.getMonth() === y.getMonth() && x.getDate() === y.getDate();
}

/** A label centred in a line of "─" across the pane. */
function ruleRow(text: string, width: number, style: Omit<Row[number], 'text'>): Row {
  const label = ` ${truncateWidth(text, Math.max(1, width - 4))} `;
  const side = Math.max(0, width - displayWidth(label));
  const left = Math.floor(side / 2);
  return [{ text: '─'.repeat(left) + label + '─'.repeat(side - left), ...style }];
}

/** A centred "── Mon 3 Jun 2024 ──" separator. */
export function dayRow(at: number, width: number): Row {
  return ruleRow(formatDay(at), width, { color: theme.dim });
}

/** The "── new ──" line above the first unread message. */
export function newRow(width: number): Row {
  return ruleRow('new', width, { color: theme.newLine, bold: true });
}

/** The first row of a conversation whose start is loaded, or while an older page loads. */
export function topRow(kind: 'start' | 'loading', conversation: string, width: number): Row {
  if (kind === 'loading') return [{ text: 'loading older messages…', color: theme.dim }];
  const what =
    conversation === BROADCASTS
      ? 'the oldest broadcast kept for you'
      : conversation.startsWith('#')
        ? `start of ${sanitizeInline(conversation)}`
        : `start of the conversation with ${sanitizeInline(conversation)}`;
  return ruleRow(what, width, { color: theme.dim });
}

/** The last row of a window away from the newest messages (a search hit's): more below it, or loading. */
export function bottomRow(kind: 'more' | 'loading', width: number): Row {
  if (kind === 'loading') return [{ text: 'loading newer messages…', color: theme.dim }];
  return ruleRow('newer messages: scroll down, or End for the newest', width, { color: theme.dim });
}

/** A wrapped row as segments: its web addresses linked, `self`'s name highlighted where it stands as a word. */
function textSegments({ text, links }: LinkedRow, self: string | null, style: Omit<Row[number], 'text'>): Row {
  const marks: Mark[] = linkMarks(links);
  if (self) for (const [start, end] of mentionRanges(text, self)) marks.push({ start, end, style: MENTION });
  return markedRow(text, style, marks);
}

const MENTION = { color: theme.mention, bold: true, underline: true } as const;

/** Time (5) + space + mark (1) + space + sender + space. */
export function textColumn(senderWidth: number): number {
  return 5 + 1 + 1 + 1 + senderWidth + 1;
}

/** The sender column width for a pane: long enough for most names, never most of the pane. */
export function senderColumnWidth(width: number, names: readonly string[]): number {
  const longest = names.reduce((max, n) => Math.max(max, displayWidth(sanitizeInline(n))), 4);
  return Math.max(4, Math.min(longest, 14, Math.floor(width / 4)));
}

const ACTION = /^\/me (\S[\s\S]*)$/;

export function messageRows(message: DisplayMessage, options: MessageRowOptions): Row[] {
  const { width, senderWidth, self } = options;
  const own = self !== null && message.from === self;
  const column = textColumn(senderWidth);
  // In a very narrow pane the text goes under the header instead of beside it.
  const besides = width - column >= 12;
  const textWidth = besides ? width - column : width;
  // `/me waves` (IRC's action), stored as typed: shown as `* alice waves`.
  const action = ACTION.exec(message.text);
  const lines = sanitizeLines(action ? `${message.from} ${action[1]}` : message.text);
  // A broadcast to everyone shown in a pair conversation: labelled, and in its own colour.
  const inlineAll = message.kind === 'broadcast-all' && !options.inBroadcasts;
  if (message.kind === 'broadcast' || inlineAll) lines[0] = '(broadcast) ' + lines[0];
  const wrapped = lines.flatMap((line) => wrapLinked(line, textWidth));
  const sender = action ? '*' : truncateWidth(sanitizeInline(message.from), senderWidth);
  const mark = own && message.status === 'pending' ? '…' : own && message.status === 'failed' ? '✗' : ' ';
  const markColor = message.status === 'failed' ? theme.error : theme.dim;
  const style = {
    color: own && message.status === 'failed' ? theme.error : inlineAll ? theme.broadcast : undefined,
    dim: own && message.status === 'pending',
  };
  const header: Row = [
    { text: formatTime(message.at), color: theme.dim },
    { text: ' ' },
    { text: mark, color: markColor, bold: mark === '✗' },
    { text: ' ' },
    { text: sender, color: nameColor(message.from), bold: true },
    { text: ' '.repeat(senderWidth - displayWidth(sender) + 1) },
  ];
  // Own messages never highlight one's own name.
  const highlight = own ? null : self;
  const rows: Row[] = [];
  const indent = ' '.repeat(column);
  if (besides) {
    wrapped.forEach((line, i) => {
      rows.push([...(i === 0 ? header : [{ text: indent }]), ...textSegments(line, highlight, style)]);
    });
  } else {
    rows.push(header);
    for (const line of wrapped) rows.push(textSegments(line, highlight, style));
  }
  if (own && message.status === 'failed') {
    const reason = `✗ not sent${message.error ? ': ' + sanitizeInline(message.error) : ''}`;
    for (const line of wrapLines([reason], textWidth)) {
      rows.push([...(besides ? [{ text: indent }] : []), { text: line, color: theme.error }]);
    }
  }
  return rows;
}
