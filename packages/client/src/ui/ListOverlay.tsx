/**
 * An overlay that lists things over the messages and responses (the people list, search results):
 * a header line, the items in view with the selected one marked, a status line (loading, a
 * failure, nothing found) and the keys in the bottom border. See list-overlay.ts for the sizes.
 */
import React from 'react';
import { theme } from './colors.js';
import { overlayBody, overlayTop } from './list-overlay.js';
import { Pane } from './Pane.js';
import type { Row } from './segments.js';

export interface ListOverlayProps {
  title: string;
  hint: string;
  width: number;
  height: number;
  header: Row;
  count: number;
  selected: number;
  /** The row of item `index`, without the selection mark (added here). */
  rowOf: (index: number) => Row;
  /** Under the items: loading, a failure, nothing found; null: nothing to say. */
  status: Row | null;
  footer: string;
}

/** The selected row in reverse video; a segment already reversed (a match with NO_COLOR) stands out by turning back. */
function selectedRow(row: Row): Row {
  return row.map((s) => ({ ...s, inverse: !s.inverse }));
}

export function ListOverlay(props: ListOverlayProps): React.ReactElement {
  const { title, hint, width, height, header, count, selected, rowOf, status, footer } = props;
  // A status line takes a row of the list, so it is never cut off below a full one.
  const body = Math.max(1, overlayBody(height) - (status ? 1 : 0));
  const top = overlayTop(selected, count, body);
  const rows: Row[] = [header, []];
  for (let i = top; i < Math.min(count, top + body); i++) {
    const chosen = i === selected;
    const mark = { text: chosen ? '▸' : ' ', color: theme.selected, bold: true, inverse: chosen };
    rows.push([mark, ...(chosen ? selectedRow(rowOf(i)) : rowOf(i))]);
  }
  if (status) rows.push(status);
  return <Pane title={title} hint={hint} width={width} height={height} focused rows={rows} footer={footer} />;
}
