/**
 * A bordered pane of an exact size, its title and footer in the border. The focused pane has a
 * double, bold, coloured border.
 *
 * Built for Ink's cost per frame, which is per character written and per Text measured: the
 * border is Ink's Box border (never measured), the title and labels are laid over it, and the
 * body is one unpadded Text per row, kept between frames while the row object is the same.
 */
import React from 'react';
import { Box, Text } from 'ink';
import { theme } from './colors.js';
import { drawnText } from './drawn-text.js';
import { LINK_CLOSE, linkOpen } from './links.js';
import { BORDERS, BorderLabels, borderLine, DOUBLE, inkStyle, SINGLE } from './pane-border.js';
import { clipRow, type Row, type Segment } from './segments.js';
import { displayWidth } from './text-layout.js';

export interface PaneProps {
  title: string;
  width: number;
  height: number;
  focused: boolean;
  /** Content rows; only the first height - 2 are drawn, each cut to width - 2 (not padded). */
  rows: Row[];
  /** Text drawn in the bottom border, on the right (e.g. "3 new ↓"). */
  footer?: string;
  /** Key hint drawn in the top border, on the right (e.g. "F2"). */
  hint?: string;
  /** A styled title instead of `title` (cut to the room there is). */
  titleRow?: Row;
}

/**
 * A user who sets NO_COLOR (no-color.org) asks for no colours, and Ink then drops `inverse`
 * along with them, and with it the input cursor and every highlight. Reverse video is not a
 * colour, so for them it is written by hand (SGR 7 ... 27); Ink passes such codes through and
 * measures around them.
 */
let inverseByHand: boolean | undefined;
const INVERSE_ON = '\u001b[7m';
const INVERSE_OFF = '\u001b[27m';

/**
 * What a segment hands Ink: its text as drawn (drawn-text.ts: emoji every terminal draws the same
 * width), in a terminal hyperlink when it is part of a web address. Ink measures around the OSC 8
 * sequence (string-width strips it) and carries it cell by cell (see links.ts).
 */
function segmentText(s: Segment): string {
  let text = drawnText(s.text);
  if (s.inverse && inverseByHand) text = INVERSE_ON + text + INVERSE_OFF;
  return s.link ? linkOpen(s.link) + text + LINK_CLOSE : text;
}

export function RowText({ row }: { row: Row }): React.ReactElement {
  inverseByHand ??= Boolean(process.env.NO_COLOR) && inkStyle({ inverse: true }).open === '';
  return (
    <Text wrap="truncate">
      {row.map((s, i) => (
        <Text
          key={i}
          color={s.color}
          backgroundColor={s.backgroundColor}
          bold={s.bold}
          dimColor={s.dim}
          inverse={s.inverse && !inverseByHand}
          underline={s.underline}
        >
          {segmentText(s)}
        </Text>
      ))}
    </Text>
  );
}

/**
 * One body row, unpadded (the body's blank cells need no text). Memoised on the row object:
 * rows are cached per message or response, so a pane that scrolls by one message only draws the
 * new message's rows and drops the old top ones; the rest are kept as they are.
 */
const BodyRow = React.memo(function BodyRow({ row }: { row: Row }): React.ReactElement {
  // An empty Text would take no line at all: a blank row is one blank cell.
  if (row.every((s) => s.text === '')) return <Text> </Text>;
  return <RowText row={row} />;
});

/** clipRow, remembered per row object (rows are cached, and mostly already fit). */
const clips = new WeakMap<Row, { width: number; row: Row }>();
function clipped(row: Row, width: number): Row {
  const hit = clips.get(row);
  if (hit && hit.width === width) return hit.row;
  const out = clipRow(row, width);
  clips.set(row, { width, row: out });
  return out;
}

/** Stable keys for rows: the same row object keeps its key (and its Ink nodes) between frames. */
const rowIds = new WeakMap<Row, number>();
let nextRowId = 1;
function rowKey(row: Row, used: Set<string>): string {
  let id = rowIds.get(row);
  if (id === undefined) {
    id = nextRowId++;
    rowIds.set(row, id);
  }
  let key = String(id);
  // The same row twice in one pane (a shared constant row): later copies get their place as well.
  for (let n = 1; used.has(key); n++) key = `${id}.${n}`;
  used.add(key);
  return key;
}

export function Pane({ title, width, height, focused, rows, footer, hint, titleRow }: PaneProps): React.ReactElement {
  const chars = focused ? DOUBLE : SINGLE;
  const inner = Math.max(0, width - 2);
  const bodyHeight = Math.max(0, height - 2);
  const top = borderLine(chars.tl, chars.tr, chars.h, width, titleRow ? titleRow.map((x) => x.text).join('') : title, hint ?? '');
  // The styled title, cut exactly where borderLine cut the plain one (it keeps a blank on each side).
  const styledTitle = titleRow && top.label ? clipRow(titleRow, Math.max(0, displayWidth(top.label) - 2)) : null;
  const bottom = borderLine(chars.bl, chars.br, chars.h, width, '', footer ?? '');
  const used = new Set<string>();
  const body: React.ReactElement[] = [];
  for (let i = 0; i < bodyHeight && i < rows.length; i++) {
    const row = clipped(rows[i]!, inner);
    body.push(<BodyRow key={rowKey(row, used)} row={row} />);
  }
  return (
    <Box flexDirection="column" width={width} height={height} flexShrink={0} borderStyle={focused ? BORDERS.focused : BORDERS.plain}>
      <BorderLabels
        width={inner}
        edge="top"
        left={
          styledTitle ? (
            <RowText row={[{ text: ' ' }, ...styledTitle, { text: ' ' }]} />
          ) : top.label ? (
            <Text wrap="truncate" bold={focused} color={focused ? theme.focusBorder : undefined}>
              {drawnText(top.label)}
            </Text>
          ) : null
        }
        right={top.labelRight ? <Text color={theme.dim}>{top.labelRight}</Text> : null}
      />
      <Box flexDirection="column" width={inner} height={bodyHeight} flexShrink={0}>
        {body}
      </Box>
      <BorderLabels
        width={inner}
        edge="bottom"
        left={null}
        right={
          bottom.labelRight ? (
            <Text color={theme.unread} bold>
              {bottom.labelRight}
            </Text>
          ) : null
        }
      />
    </Box>
  );
}
