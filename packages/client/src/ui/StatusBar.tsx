/** The status bar: user @ server · connection state · unread count · F1 help. */
import React from 'react';
import type { ConnectionState } from '../core/types.js';
import { connectionColor, theme } from './colors.js';
import { RowText } from './Pane.js';
import { sanitizeInline } from './sanitize.js';
import { fitRow, type Row } from './segments.js';

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

export function statusRow(props: StatusBarProps): Row {
  const { user, server, connection, connectionDetail, unread, flash } = props;
  const sep = { text: ' · ', color: theme.dim };
  const row: Row = [{ text: ' ' }];
  if (user) row.push({ text: sanitizeInline(user), bold: true }, { text: ' @ ', color: theme.dim });
  row.push({ text: sanitizeInline(server) }, sep);
  row.push({ text: connection, color: connectionColor[connection], bold: connection !== 'connected' });
  if (connectionDetail) row.push({ text: ` (${sanitizeInline(connectionDetail)})`, color: connectionColor[connection] });
  row.push(sep, { text: `${unread} unread`, color: unread > 0 ? theme.unread : undefined, bold: unread > 0 });
  row.push(sep, { text: 'F1 help', color: theme.dim });
  if (flash) row.push(sep, { text: sanitizeInline(flash), color: theme.notice });
  return row;
}

function StatusBarImpl(props: StatusBarProps): React.ReactElement {
  return <RowText row={fitRow(statusRow(props), props.width)} />;
}

export const StatusBar = React.memo(StatusBarImpl);
