/**
 * The preview line of a message that arrived in a conversation that is not open: drawn in the
 * input box's top border, so it never moves the input line. "carol: are you th… +1 (Alt+A)".
 */
import type { Preview } from '../core/arrivals.js';
import { nameColor, theme } from './colors.js';
import { sanitizeInline } from './sanitize.js';
import type { Row } from './segments.js';
import { displayWidth, truncateWidth } from './text-layout.js';

/** The preview as a row of at most `width` cells, the key hint always kept. */
export function previewRow(preview: Preview, width: number): Row {
  const { arrival, others } = preview;
  const from = truncateWidth(sanitizeInline(arrival.from), 16);
  // A group's line says where it was said: "carol in #team: ...".
  const label = arrival.kind === 'broadcast' ? '(broadcast) ' : arrival.conversation.startsWith('#') ? `in ${arrival.conversation}: ` : '';
  // The first line only, blanks folded: a preview is one line.
  const text =
    label +
    sanitizeInline(
      arrival.text
        .split(/\r\n|[\r\n\u2028\u2029]/)[0]!
        .replace(/\s+/g, ' ')
        .trim(),
    );
  const more = others > 0 ? ` +${others} more` : '';
  const hint = ' (Alt+A)';
  const room = width - displayWidth(from) - 2 - displayWidth(more) - displayWidth(hint);
  const group = arrival.kind !== 'broadcast' && arrival.conversation.startsWith('#');
  const row: Row = [
    { text: from, color: nameColor(arrival.from), bold: true },
    { text: group ? ' ' : ': ', color: theme.preview },
  ];
  if (room >= 4) row.push({ text: truncateWidth(text, room), color: theme.preview, bold: arrival.mention });
  if (more) row.push({ text: more, color: theme.unread, bold: true });
  row.push({ text: hint, color: theme.dim });
  return row;
}
