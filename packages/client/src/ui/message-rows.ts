/** Turns one chat message into display rows: time, status mark, sender, wrapped text. */
import type { DisplayMessage } from '../core/types.js';
import { nameColor, theme } from './colors.js';
import { sanitizeInline, sanitizeLines } from './sanitize.js';
import type { Row } from './segments.js';
import { displayWidth, truncateWidth, wrapLines } from './text-layout.js';

export interface MessageRowOptions {
  /** Inner width of the pane. */
  width: number;
  /** Width of the sender column. */
  senderWidth: number;
  /** The logged-in user (own messages get status marks). */
  self: string | null;
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

/** A centred "── Mon 3 Jun 2024 ──" separator. */
export function dayRow(at: number, width: number): Row {
  const label = ` ${formatDay(at)} `;
  const side = Math.max(0, width - displayWidth(label));
  const left = Math.floor(side / 2);
  return [{ text: '─'.repeat(left) + label + '─'.repeat(side - left), color: theme.dim }];
}

/** Time (5) + space + mark (1) + space + sender + space. */
export function textColumn(senderWidth: number): number {
  return 5 + 1 + 1 + 1 + senderWidth + 1;
}

/** The sender column width for a pane: long enough for most names, never most of the pane. */
export function senderColumnWidth(width: number, names: readonly string[]): number {
  const longest = names.reduce((max, n) => Math.max(max, displayWidth(sanitizeInline(n))), 4);
  return Math.max(4, Math.min(longest, 14, Math.floor(width / 4)));
}

export function messageRows(message: DisplayMessage, options: MessageRowOptions): Row[] {
  const { width, senderWidth, self } = options;
  const own = self !== null && message.from === self;
  const column = textColumn(senderWidth);
  // In a very narrow pane the text goes under the header instead of beside it.
  const besides = width - column >= 12;
  const textWidth = besides ? width - column : width;
  const lines = sanitizeLines(message.text);
  if (message.kind === 'broadcast' || message.kind === 'broadcast-all') {
    lines[0] = (message.kind === 'broadcast' ? '(broadcast) ' : '') + lines[0];
  }
  const wrapped = wrapLines(lines, textWidth);
  const sender = truncateWidth(sanitizeInline(message.from), senderWidth);
  const mark = own && message.status === 'pending' ? '…' : own && message.status === 'failed' ? '✗' : ' ';
  const markColor = message.status === 'failed' ? theme.error : theme.dim;
  const textColor = own && message.status === 'failed' ? theme.error : undefined;
  const textDim = own && message.status === 'pending';
  const header: Row = [
    { text: formatTime(message.at), color: theme.dim },
    { text: ' ' },
    { text: mark, color: markColor, bold: mark === '✗' },
    { text: ' ' },
    { text: sender, color: nameColor(message.from), bold: true },
    { text: ' '.repeat(senderWidth - displayWidth(sender) + 1) },
  ];
  const rows: Row[] = [];
  const indent = ' '.repeat(column);
  if (besides) {
    wrapped.forEach((line, i) => {
      rows.push([...(i === 0 ? header : [{ text: indent }]), { text: line, color: textColor, dim: textDim }]);
    });
  } else {
    rows.push(header);
    for (const line of wrapped) rows.push([{ text: line, color: textColor, dim: textDim }]);
  }
  if (own && message.status === 'failed') {
    const reason = `✗ not sent${message.error ? ': ' + sanitizeInline(message.error) : ''}`;
    for (const line of wrapLines([reason], textWidth)) {
      rows.push([...(besides ? [{ text: indent }] : []), { text: line, color: theme.error }]);
    }
  }
  return rows;
}
