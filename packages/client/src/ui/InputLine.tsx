/** The input line: prompt, the text with a visible cursor, scrolled sideways to keep it in view. */
import React from 'react';
import { theme } from './colors.js';
import type { EditorState } from './input-editor.js';
import { pasteLines } from './input-editor.js';
import { Pane } from './Pane.js';
import { previewRow } from './preview-row.js';
import type { Preview } from '../core/arrivals.js';
import { sanitizeInline } from './sanitize.js';
import type { Row } from './segments.js';
import { displayWidth, graphemes, truncateWidth } from './text-layout.js';

export interface InputLineProps {
  editor: EditorState;
  /** Where plain text goes, shown before the prompt (the open conversation). */
  target: string | null;
  width: number;
  focused: boolean;
  /** Shown instead of the text when not focused and empty. */
  placeholder?: string;
  /** A message that arrived elsewhere, shown in the top border (see preview-row.ts). */
  preview?: Preview | null;
  /** Quitting asks first: how many own messages are not sent yet, and whether they are kept for the next login. */
  confirmQuit?: { unsent: number; kept: boolean } | null;
}

/**
 * The visible part of a value: the graphemes shown as safe text, with the cursor's grapheme
 * (or a space at the end) marked, at most `room` cells wide.
 */
export function inputRow(value: string, cursor: number, room: number, showCursor: boolean): Row {
  const cells: { text: string; width: number; at: number }[] = [];
  let offset = 0;
  for (const g of graphemes(value)) {
    // A line break typed with Alt+Enter (or kept from a paste) shows as ↵ on the one input row.
    const text = g === '\n' ? '↵' : sanitizeInline(g);
    cells.push({ text, width: displayWidth(text), at: offset });
    offset += g.length;
  }
  cells.push({ text: ' ', width: 1, at: value.length }); // the cell after the end
  let cursorCell = cells.findIndex((c) => c.at >= cursor);
  if (cursorCell === -1) cursorCell = cells.length - 1;
  // Walk back from the cursor to the first visible cell, keeping a little context on its right;
  // a "…" stands for what is cut on the left.
  let after = 0;
  const rightContext = Math.min(8, Math.floor(room / 4));
  for (let i = cursorCell + 1; i < cells.length && after < rightContext; i++) after += cells[i].width;
  let start = cursorCell;
  let used = cells[cursorCell].width + Math.min(after, rightContext);
  while (start > 0 && used + cells[start - 1].width + (start - 1 > 0 ? 1 : 0) <= room) {
    start--;
    used += cells[start].width;
  }
  const row: Row = [];
  let width = 0;
  if (start > 0) {
    row.push({ text: '…', color: theme.dim });
    width = 1;
  }
  let text = '';
  for (let i = start; i < cells.length; i++) {
    const c = cells[i];
    if (width + c.width > room) break;
    if (i === cursorCell && showCursor) {
      if (text) row.push({ text });
      text = '';
      row.push({ text: c.text, inverse: true });
    } else {
      text += c.text;
    }
    width += c.width;
  }
  if (text) row.push({ text });
  return row;
}

/** Room for the preview in the top border: the corners, the " Esc " hint, a blank each side and one line cell before the hint. */
const previewRoom = (width: number) => width - 12;

/** The question before quitting with messages not sent yet. */
export function quitQuestion({ unsent, kept }: { unsent: number; kept: boolean }): string {
  const what = unsent === 1 ? '1 unsent message' : `${unsent} unsent messages`;
  return kept
    ? `${what} ${unsent === 1 ? 'goes' : 'go'} out at your next login. Enter: quit · Esc: stay`
    : `${what} would be lost. Enter: quit anyway · Esc: stay`;
}

function InputLineImpl({ editor, target, width, focused, placeholder, preview, confirmQuit }: InputLineProps): React.ReactElement {
  const inner = width - 2;
  const prompt = `${target ? truncateWidth(sanitizeInline(target), Math.max(4, Math.floor(inner / 4))) : ''}› `;
  const promptRow: Row = [{ text: prompt, color: focused ? theme.focusBorder : theme.dim, bold: true }];
  let rows: Row[];
  let footer: string | undefined;
  if (confirmQuit) {
    rows = [[{ text: quitQuestion(confirmQuit), color: theme.notice, bold: true }]];
  } else if (editor.paste) {
    const n = pasteLines(editor).length;
    rows = [
      [
        {
          text: `Paste of ${n} line${n === 1 ? '' : 's'}: Enter sends ${n} message${n === 1 ? '' : 's'} · M: one message · J joins · Esc cancels`,
          color: theme.notice,
          bold: true,
        },
      ],
    ];
  } else if (!focused && editor.value === '' && placeholder) {
    rows = [[...promptRow, { text: placeholder, color: theme.dim }]];
  } else {
    rows = [[...promptRow, ...inputRow(editor.value, editor.cursor, Math.max(1, inner - displayWidth(prompt)), focused)]];
    if (editor.completion && editor.completion.candidates.length > 1) {
      const { candidates, index } = editor.completion;
      // Candidates are whole lines: show only their last word.
      const word = (c: string) => c.trimEnd().split(' ').pop() ?? c;
      const shown = candidates.map((c, i) => (i === index ? `[${word(c)}]` : word(c))).join(' ');
      footer = truncateWidth(sanitizeInline(shown), Math.max(10, inner - 6));
    }
  }
  const titleRow = preview ? previewRow(preview, previewRoom(width)) : undefined;
  return <Pane title="" titleRow={titleRow} hint="Esc" width={width} height={3} focused={focused} rows={rows} footer={footer} />;
}

export const InputLine = React.memo(InputLineImpl);
