/** What is shown instead of the panes when the terminal is too small for them. */
import React from 'react';
import { Box } from 'ink';
import { MIN_COLUMNS, MIN_ROWS } from './layout.js';
import { RowText } from './Pane.js';
import { fitRow, type Row } from './segments.js';
import { wrapLine } from './text-layout.js';

export function TooSmall({ columns, rows }: { columns: number; rows: number }): React.ReactElement {
  const width = Math.max(1, columns);
  const height = Math.max(1, rows - 1);
  const text = [
    `Terminal too small: ${columns}x${rows}.`,
    `tui-chat needs at least ${MIN_COLUMNS}x${MIN_ROWS}.`,
    'Make the window larger, or press Ctrl+C to quit.',
  ];
  const lines: Row[] = [];
  text.forEach((t, i) => {
    for (const l of wrapLine(t, width)) lines.push([{ text: l, color: i === 0 ? 'yellow' : undefined, bold: i === 0 }]);
  });
  const top = Math.max(0, Math.floor((height - lines.length) / 2));
  const out: Row[] = [];
  for (let i = 0; i < height; i++) out.push(lines[i - top] ?? []);
  return (
    <Box flexDirection="column" width={width} height={height}>
      {out.map((r, i) => (
        <RowText key={i} row={fitRow(r, width)} />
      ))}
    </Box>
  );
}
