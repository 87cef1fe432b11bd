/** The status bar: user @ server · connection state · unread count · F1 help. */
import React from 'react';
import type { ConnectionState } from '../core/types.js';
import { connectionColor, theme } from './colors.js';
import { secondsLeft, useCountdownClock } from './countdown.js';
import { keyFor } from './key-labels.js';
import { RowText } from './Pane.js';
import { sanitizeInline } from './sanitize.js';
import { clipRow, rowWidth, type Row } from './segments.js';
import { truncateWidth } from './text-layout.js';

export interface StatusBarProps {
  user: string | null;
  server: string;
  connection: ConnectionState;
  connectionDetail: string | null;
  /** Reconnecting: when the next attempt starts (ms since the epoch), for the countdown; null otherwise. */
  reconnectAt?: number | null;
  unread: number;
  /** You are away (your text, '' without one): the bar says so, so you remember to come back. */
  away?: string;
  width: number;
  /** A short-lived message from the UI itself. */
  flash?: string | null;
}

/** The key that reconnects now, as the help names it. */
const RETRY_KEY = keyFor('global', 'connection.retryNow');

/**
 * The status row at time `now`. Waiting to reconnect: `reconnecting in 2 s (server lost) · Ctrl+R:
 * retry now`. When space is short the F1 hint gives way first, then the end of the connection
 * detail, then the retry hint; the countdown, the unread count and a flash stay.
 */
export function statusRow(props: StatusBarProps, now = Date.now()): Row {
  const { user, server, connection, connectionDetail, reconnectAt = null, unread, flash, width, away } = props;
  const sep = { text: ' · ', color: theme.dim };
  const color = connectionColor[connection];
  const waiting = connection === 'reconnecting' && reconnectAt !== null;
  const head: Row = [{ text: ' ' }];
  if (user) head.push({ text: sanitizeInline(user), bold: true }, { text: ' @ ', color: theme.dim });
  head.push({ text: sanitizeInline(server) }, sep);
  // Within its last second the attempt is about to start: "in 1 s", never "in 0 s".
  const state = waiting ? `${connection} in ${Math.max(1, secondsLeft(reconnectAt, now))} s` : connection;
  head.push({ text: state, color, bold: connection !== 'connected' });
  if (away !== undefined) head.push(sep, { text: 'away', color: theme.notice, bold: true });
  let retry: Row = waiting && RETRY_KEY ? [sep, { text: `${RETRY_KEY}: retry now`, color: theme.notice }] : [];
  const tail: Row = [sep, { text: `${unread} unread`, color: unread > 0 ? theme.unread : undefined, bold: unread > 0 }];
  const help: Row = [sep, { text: 'F1 help', color: theme.dim }];
  // A flash answers a key just pressed: it shows whole, the hints and the detail make room.
  const flashed: Row = flash ? [sep, { text: sanitizeInline(flash), color: theme.notice }] : [];
  // The connection detail matters more than the F1 hint: the hint gives way to it first.
  let room = width - rowWidth(head) - rowWidth(retry) - rowWidth(tail) - rowWidth(help) - rowWidth(flashed);
  if ((connectionDetail || retry.length > 0 || flash) && room < 16) room += rowWidth(help);
  else tail.push(...help);
  // No room even without the detail: the retry hint goes too (the detail does not come back).
  if (room < 0 && retry.length > 0) retry = [];
  const detail: Row = [];
  if (connectionDetail && room >= 8) {
    detail.push({ text: truncateWidth(` (${sanitizeInline(connectionDetail)})`, room), color });
  }
  return [...head, ...detail, ...retry, ...tail, ...flashed];
}

function StatusBarImpl(props: StatusBarProps): React.ReactElement {
  // Ticks once a second while a countdown shows: only this row draws again, not the panes. The
  // time is read here, so a new countdown's first frame is right too.
  useCountdownClock(props.connection === 'reconnecting' ? (props.reconnectAt ?? null) : null);
  // Not padded: the blank cells after it are blank already.
  return <RowText row={clipRow(statusRow(props, Date.now()), props.width)} />;
}

export const StatusBar = React.memo(StatusBarImpl);
