/**
 * The pane's border: Ink's Box border in the pane's colours (drawn without being measured), and
 * the title, key hint and footer laid over it. Apart from Pane.tsx, which draws the body rows.
 */
import React from 'react';
import { Box, Text, renderToString } from 'ink';
import { theme } from './colors.js';
import { truncateWidth, displayWidth } from './text-layout.js';

export const SINGLE = { tl: '┌', tr: '┐', bl: '└', br: '┘', h: '─', v: '│' };
export const DOUBLE = { tl: '╔', tr: '╗', bl: '╚', br: '╝', h: '═', v: '║' };

export function borderLine(
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

type BorderChars = typeof SINGLE;

/**
 * The SGR codes Ink's own chalk puts around a styled text (none when colours are off), read once
 * from Ink itself so the borders below look exactly like a <Text> with the same props.
 */
export function inkStyle(props: { color?: string; bold?: boolean; inverse?: boolean }): { open: string; close: string } {
  const probe = renderToString(<Text {...props}>X</Text>);
  const at = probe.indexOf('X');
  return at < 0 ? { open: '', close: '' } : { open: probe.slice(0, at), close: probe.slice(at + 1) };
}

/**
 * A border for Ink's Box that paints like the pane's <Text> borders did. Ink draws box borders
 * without measuring them (a <Text> goes through string-width, slow on box-drawing characters),
 * and writes each side as one repeated line.
 */
function boxStyle(
  chars: BorderChars,
  style: { open: string; close: string },
): NonNullable<React.ComponentProps<typeof Box>['borderStyle']> {
  const { open, close } = style;
  return {
    topLeft: open + chars.tl,
    top: chars.h,
    topRight: chars.tr + close,
    bottomLeft: open + chars.bl,
    bottom: chars.h,
    bottomRight: chars.br + close,
    left: open + chars.v + close,
    right: open + chars.v + close,
  };
}

export const BORDERS = {
  plain: boxStyle(SINGLE, inkStyle({ color: theme.border })),
  focused: boxStyle(DOUBLE, inkStyle({ color: theme.focusBorder, bold: true })),
};

/**
 * What sits on a border row over Ink's line: the title one cell in from the left, the label on
 * the right one cell before the corner (as borderLine places them). Cells between stay Ink's.
 */
export function BorderLabels({
  width,
  edge,
  left,
  right,
}: {
  width: number;
  edge: 'top' | 'bottom';
  left: React.ReactElement | null;
  right: React.ReactElement | null;
}): React.ReactElement {
  return (
    <Box
      flexDirection="row"
      width={width}
      height={1}
      flexShrink={0}
      marginTop={edge === 'top' ? -1 : 0}
      marginBottom={edge === 'bottom' ? -1 : 0}
    >
      <Box width={1} flexShrink={0} />
      {left}
      <Box flexGrow={1} />
      {right}
      {right && <Box width={1} flexShrink={0} />}
    </Box>
  );
}
