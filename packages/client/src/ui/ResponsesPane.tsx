/** Command responses (replies, errors, usage lines, notices): scrollable, newest at the bottom. */
import React from 'react';
import type { ResponseLine } from '../core/types.js';
import { theme } from './colors.js';
import { formatTime } from './message-rows.js';
import { Pane } from './Pane.js';
import { linkMarks, wrapLinked } from './links.js';
import { sanitizeLines } from './sanitize.js';
import { markedRow, type Row } from './segments.js';
import { visibleRows, type Scroll, type VirtualList } from './virtual-list.js';

const KIND_COLOR: Record<ResponseLine['kind'], string | undefined> = {
  info: theme.info,
  error: theme.error,
  usage: theme.usage,
  notice: theme.notice,
};

const cache = new WeakMap<ResponseLine, { width: number; rows: Row[] }>();

export function responseRows(line: ResponseLine, width: number): Row[] {
  const color = KIND_COLOR[line.kind];
  const textWidth = Math.max(1, width - 6);
  const wrapped = sanitizeLines(line.text).flatMap((l) => wrapLinked(l, textWidth));
  return wrapped.map(({ text, links }, i) => [
    { text: i === 0 ? formatTime(line.at) + ' ' : '      ', color: theme.dim },
    ...markedRow(text, { color, bold: line.kind === 'notice' }, linkMarks(links)),
  ]);
}

export function responseList(lines: readonly ResponseLine[], innerWidth: number, innerHeight: number): VirtualList<ResponseLine> {
  return {
    items: lines,
    height: innerHeight,
    keyOf: (l) => String(l.id),
    rowsOf: (l) => {
      let hit = cache.get(l);
      if (!hit || hit.width !== innerWidth) {
        hit = { width: innerWidth, rows: responseRows(l, innerWidth) };
        cache.set(l, hit);
      }
      return hit.rows;
    },
  };
}

export interface ResponsesPaneProps {
  responses: readonly ResponseLine[];
  width: number;
  height: number;
  focused: boolean;
  scroll: Scroll;
}

function ResponsesPaneImpl({ responses, width, height, focused, scroll }: ResponsesPaneProps): React.ReactElement {
  const view = visibleRows(responseList(responses, width - 2, height - 2), scroll);
  const footer = view.newCount > 0 ? `${view.newCount} new ↓` : view.moreBelow ? 'more ↓ (End)' : undefined;
  const rows =
    responses.length === 0 ? [[{ text: 'Replies to commands show here. F1 or /help lists them.', color: theme.dim }]] : view.rows;
  return <Pane title="Responses" hint="F4" width={width} height={height} focused={focused} rows={rows} footer={footer} />;
}

export const ResponsesPane = React.memo(ResponsesPaneImpl);
