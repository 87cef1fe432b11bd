/**
 * A bordered pane drawn line by line, so its height is exact and its title and footer sit in the
 * border. The focused pane has a double, bold, coloured border.
 */
import React from 'react';
import { Box, Text } from 'ink';
import { theme } from './colors.js';
import { clipRow, rowWidth, type Row } from './segments.js';
import { truncateWidth, displayWidth } from './text-layout.js';

export interface PaneProps {
  title: string;
  width: number;
  height: number;
  focused: boolean;
  /** Content rows; only the first height - 2 are drawn, each fitted to width - 2. */
  rows: Row[];
  /** Text drawn in the bottom border, on the right (e.g. "3 new ↓"). */
  footer?: string;
  /** Key hint drawn in the top border, on the right (e.g. "F2"). */
  hint?: string;
}

const SINGLE = { tl: '┌', tr: '┐', bl: '└', br: '┘', h: '─', v: '│' };
const DOUBLE = { tl: '╔', tr: '╗', bl: '╚', br: '╝', h: '═', v: '║' };

export function RowText({ row }: { row: Row }): React.ReactElement {
  return (
    <Text wrap="truncate">
      {row.map((s, i) => (
        <Text
          key={i}
          color={s.color}
          backgroundColor={s.backgroundColor}
          bold={s.bold}
          dimColor={s.dim}
          inverse={s.inverse}
          underline={s.underline}
        >
          {s.text}
        </Text>
      ))}
    </Text>
  );
}

function borderLine(
  left: string,
  right: string,
  fill: string,
  width: number,
  label: string,
  labelRight: string,
): { before: string; label: string; middle: string; labelRight: string; after: string } {
  const inner = Math.max(0, width - 2);
  // The right label (a key hint) gives way to the title when both do not fit.
  const wanted = (label ? displayWidth(label) + 2 : 0) + (labelRight ? displayWidth(labelRight) + 3 : 0) + 1;
  const rightPart = labelRight && (wanted <= inner || !label) ? ` ${labelRight} ` : '';
  const rightWidth = displayWidth(rightPart);
  const room = Math.max(0, inner - 1 - rightWidth - (rightPart ? 1 : 0));
  const title = label ? truncateWidth(` ${label} `, room) : '';
  const titleWidth = displayWidth(title);
  const fillWidth = Math.max(0, inner - 1 - titleWidth - rightWidth - (rightPart ? 1 : 0));
  return {
    before: left + (inner > 0 ? fill : ''),
    label: title,
    middle: fill.repeat(fillWidth),
    labelRight: rightPart,
    after: (rightPart ? fill : '') + right,
  };
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

/** A vertical border: one Text of `height` lines, so the rows beside it stay plain text. */
function sideText(height: number, char: string): string {
  return height <= 0 ? '' : (char + '\n').repeat(height - 1) + char;
}

export function Pane({ title, width, height, focused, rows, footer, hint }: PaneProps): React.ReactElement {
  const chars = focused ? DOUBLE : SINGLE;
  const color = focused ? theme.focusBorder : theme.border;
  const inner = Math.max(0, width - 2);
  const bodyHeight = Math.max(0, height - 2);
  const top = borderLine(chars.tl, chars.tr, chars.h, width, title, hint ?? '');
  const bottom = borderLine(chars.bl, chars.br, chars.h, width, '', footer ?? '');
  const used = new Set<string>();
  const body: React.ReactElement[] = [];
  for (let i = 0; i < bodyHeight && i < rows.length; i++) {
    const row = clipRow(rows[i]!, inner);
    body.push(<BodyRow key={rowKey(row, used)} row={row} />);
  }
  const side = sideText(bodyHeight, chars.v);
  return (
    <Box flexDirection="column" width={width} height={height} flexShrink={0}>
      <Text wrap="truncate">
        <Text color={color} bold={focused}>
          {top.before}
        </Text>
        <Text bold={focused} color={focused ? theme.focusBorder : undefined}>
          {top.label}
        </Text>
        <Text color={color} bold={focused}>
          {top.middle}
        </Text>
        <Text color={theme.dim}>{top.labelRight}</Text>
        <Text color={color} bold={focused}>
          {top.after}
        </Text>
      </Text>
      {bodyHeight > 0 && (
        <Box flexDirection="row" width={width} height={bodyHeight} flexShrink={0}>
          <Text color={color} bold={focused}>
            {side}
          </Text>
          <Box flexDirection="column" width={inner} height={bodyHeight} flexShrink={0}>
            {body}
          </Box>
          <Text color={color} bold={focused}>
            {side}
          </Text>
        </Box>
      )}
      <Text wrap="truncate">
        <Text color={color} bold={focused}>
          {bottom.before}
          {bottom.middle}
        </Text>
        <Text color={theme.unread} bold>
          {bottom.labelRight}
        </Text>
        <Text color={color} bold={focused}>
          {bottom.after}
        </Text>
      </Text>
    </Box>
  );
}

/** Exposed for tests. */
export const _internal = { borderLine, rowWidth };
