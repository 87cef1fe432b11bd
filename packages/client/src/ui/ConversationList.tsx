/** The conversation list: presence mark (online ●, away ◐), name, unread count; the selected row and the open one. */
import React from 'react';
import { BROADCASTS, type ConversationView } from '../core/types.js';
import { PRESENCE_AWAY, PRESENCE_UNKNOWN, theme } from './colors.js';
import { Pane } from './Pane.js';
import { sanitizeInline } from './sanitize.js';
import type { Row } from './segments.js';
import { displayWidth, truncateWidth } from './text-layout.js';

/** The entries in display order: the client's list, with the broadcasts entry always present. */
export function listEntries(conversations: readonly ConversationView[]): ConversationView[] {
  if (conversations.some((c) => c.with === BROADCASTS)) return [...conversations];
  return [...conversations, { with: BROADCASTS, unread: 0, online: false, lastAt: null }];
}

export interface ConversationListProps {
  conversations: readonly ConversationView[];
  /** Users online now (state.online): a second source for the online mark. */
  online?: readonly string[];
  /** False while the connection is down: every mark shows presence unknown (default true). */
  presenceKnown?: boolean;
  /** Who is away (state.away): their mark is ◐ instead of ●. */
  away?: Readonly<Record<string, string>>;
  open: string | null;
  selected: number;
  width: number;
  height: number;
  focused: boolean;
}

/**
 * Rows by what they show: the same entry keeps the same row object from frame to frame (a new
 * message only moves lastAt), so the pane keeps its nodes. Small: cleared when it grows.
 */
const rowCache = new Map<string, Row>();

function cachedEntryRow(
  c: ConversationView,
  inner: number,
  isOpen: boolean,
  isSelected: boolean,
  focused: boolean,
  onlineNow: readonly string[],
  known: boolean,
  away: boolean,
): Row {
  const online = c.with !== BROADCASTS && (c.online || onlineNow.includes(c.with));
  const key = JSON.stringify([c.with, c.unread, online, known, away, inner, isOpen, isSelected && focused]);
  let row = rowCache.get(key);
  if (!row) {
    if (rowCache.size >= 500) rowCache.clear();
    row = entryRow(c, inner, isOpen, isSelected, focused, onlineNow, known, away);
    rowCache.set(key, row);
  }
  return row;
}

function entryRow(
  c: ConversationView,
  inner: number,
  isOpen: boolean,
  isSelected: boolean,
  focused: boolean,
  onlineNow: readonly string[],
  known: boolean,
  away: boolean,
): Row {
  const online = c.with !== BROADCASTS && (c.online || onlineNow.includes(c.with));
  // Unknown (the connection is down): a grey hollow mark for every user, never the green dot.
  // Away: online, but not at the keyboard (a dim half mark). A group (#name) has no presence of its own.
  const mark =
    c.with === BROADCASTS || c.with.startsWith('#') ? ' ' : !known ? PRESENCE_UNKNOWN : !online ? ' ' : away ? PRESENCE_AWAY : '●';
  const count = c.unread > 0 ? (c.unread > 999 ? '999+' : String(c.unread)) : '';
  // "▸● name      3": the open mark, the online mark, a space, the name, the count on the right.
  const nameRoom = Math.max(1, inner - 3 - (count ? displayWidth(count) + 1 : 0));
  const name = truncateWidth(sanitizeInline(c.with), nameRoom);
  const gap = ' '.repeat(Math.max(0, inner - 3 - displayWidth(name) - displayWidth(count)));
  const highlight = isSelected && focused;
  return [
    { text: isOpen ? '▸' : ' ', color: theme.selected, bold: true, inverse: highlight },
    { text: mark, color: known && !away ? theme.online : theme.dim, inverse: highlight },
    { text: ' ', inverse: highlight },
    {
      text: name,
      bold: isOpen || c.unread > 0,
      color: isOpen ? theme.selected : undefined,
      inverse: highlight,
    },
    { text: gap, inverse: highlight },
    { text: count, color: theme.unread, bold: true, inverse: highlight },
  ];
}

function ConversationListImpl({
  conversations,
  online = NOBODY,
  presenceKnown = true,
  away = NOBODY_AWAY,
  open,
  selected,
  width,
  height,
  focused,
}: ConversationListProps): React.ReactElement {
  const entries = listEntries(conversations);
  const inner = width - 2;
  const body = height - 2;
  const top = Math.max(0, Math.min(selected - body + 1, entries.length - body));
  const rows: Row[] = [];
  for (let i = Math.max(0, top); i < entries.length && rows.length < body; i++) {
    const c = entries[i];
    rows.push(cachedEntryRow(c, inner, c.with === open, i === selected, focused, online, presenceKnown, away[c.with] !== undefined));
  }
  const above = top;
  const below = Math.max(0, entries.length - top - body);
  const footer = below > 0 ? `${below} more ↓` : above > 0 ? `${above} more ↑` : undefined;
  return <Pane title="Conversations" hint="F2" width={width} height={height} focused={focused} rows={rows} footer={footer} />;
}

const NOBODY: readonly string[] = [];
const NOBODY_AWAY: Readonly<Record<string, string>> = {};

export const ConversationList = React.memo(ConversationListImpl);
