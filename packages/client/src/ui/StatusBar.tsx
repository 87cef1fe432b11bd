/** The status bar: user @ server · connection state · unread count · F1 help. */
import React from 'react';
import type { ConnectionState } from '../core/types.js';
import { connectionColor, theme } from './colors.js';
import { RowText } from './Pane.js';
import { sanitizeInline } from './sanitize.js';
import { clipRow, rowWidth, type Row } from './segments.js';
import { truncateWidth } from './text-layout.js';

export interface StatusBarProps {
  user: string | null;
  server: string;
  connection: ConnectionState;
  connectionDetail: string | null;
  unread: number;
  width: number;
  /** A short-lived message from the UI itself. */
  flash?: string | null;
}

/** The status row; when space is short the F1 hint, then the end of the connection detail give way. */
export function statusRow(props: StatusBarProps): Row {
  const { user, server, connection, connectionDetail, unread, flash, width } = props;
  const sep = { text: ' · ', color: theme.dim };
  const head: Row = [{ text: ' ' }];
  if (user) head.push({ text: sanitizeInline(user), bold: true }, { text: ' @ ', color: theme.dim });
  head.push({ text: sanitizeInline(server) }, sep);
  head.push({ text: connection, color: connectionColor[connection], bold: connection !== 'connected' });
  const tail: Row = [sep, { text: `${unread} unread`, color: unread > 0 ? theme.unread : undefined, bold: unread > 0 }];
  const help: Row = [sep, { text: 'F1 help', color: theme.dim }];
  // The connection detail matters more than the F1 hint: the hint gives way to it first.
  // A flash (what a key just did) matters more than the hint too: it takes the hint's place.
  let room = width - rowWidth(head) - rowWidth(tail) - rowWidth(help);
  if ((connectionDetail && room < 16) || flash) room += rowWidth(help);
  else tail.push(...help);
  const detail: Row = [];
  if (connectionDetail && room >= 8) {
    detail.push({ text: truncateWidth(` (${sanitizeInline(connectionDetail)})`, room), color: connectionColor[connection] });
  }
  const row = [...head, ...detail, ...tail];
  if (flash) row.push(sep, { text: sanitizeInline(flash), color: theme.notice });
  return row;
}

function StatusBarImpl(props: StatusBarProps): React.ReactElement {
  // Not padded: the blank cells after it are blank already.
  return <RowText row={clipRow(statusRow(props), props.width)} />;
}

export const StatusBar = React.memo(StatusBarImpl);
