/** The messages of the open conversation: virtualised, wrapped by display width, scrollable. */
import React from 'react';
import { BROADCASTS, type DisplayMessage, type Paging } from '../core/types.js';
import { PRESENCE_UNKNOWN, theme } from './colors.js';
import { bottomRow, dayRow, messageRows, newRow, sameDay, senderColumnWidth, topRow } from './message-rows.js';
import { Pane } from './Pane.js';
import { sanitizeInline } from './sanitize.js';
import { awayLabel } from '../core/away.js';
import type { Row } from './segments.js';
import { wrapLine } from './text-layout.js';
import { visibleRows, type Scroll, type VirtualList } from './virtual-list.js';

/** Per message: its rows for one set of parameters, and the same with separators first. */
const cache = new WeakMap<DisplayMessage, { params: string; rows: Row[]; variants: Map<string, Row[]> }>();

/** Separator rows shared by every message that needs them (one object per text and width). */
const shared = new Map<string, Row>();
function sharedRow(key: string, make: () => Row): Row {
  let row = shared.get(key);
  if (!row) {
    if (shared.size > 64) shared.clear();
    row = make();
    shared.set(key, row);
  }
  return row;
}

export interface MessageListExtras {
  /** The "── new ──" line goes above the first message with a seq above this one. */
  newAfterSeq?: number | null;
  /** A first row above the oldest message: the start of the conversation, or an older page loading. */
  top?: Paging | null;
  /** A last row below the newest held: newer messages not loaded (a search hit's window), or loading. */
  bottom?: 'more' | 'loading' | null;
  /** The message (its key) a search hit showed: its rows in reverse video. */
  marked?: string | null;
}

/** The virtual list the pane draws and the key handlers scroll: both must agree. */
export function messageList(
  messages: readonly DisplayMessage[],
  innerWidth: number,
  innerHeight: number,
  self: string | null,
  conversation: string | null,
  extras: MessageListExtras = {},
): VirtualList<DisplayMessage> {
  // A pair conversation has two names; the broadcasts and groups have whoever wrote them.
  const names = [self ?? ''];
  if (conversation && conversation !== BROADCASTS && !conversation.startsWith('#')) names.push(conversation);
  else for (const m of messages) if (m.from.length > (names[1]?.length ?? 0)) names[1] = m.from;
  const senderWidth = senderColumnWidth(innerWidth, names);
  const inBroadcasts = conversation === BROADCASTS;
  const params = `${innerWidth}:${senderWidth}:${self ?? ''}:${inBroadcasts ? 'b' : ''}`;
  const newAfter = extras.newAfterSeq ?? null;
  const top = extras.top ?? null;
  const bottom = extras.bottom ?? null;
  const marked = extras.marked ?? null;
  /**
   * Whether `messages[index]` is the first after the new line's seq: the previous confirmed one is
   * at or below it, or this is the very next seq (so a page not loaded yet cannot fool it).
   */
  const isFirstNew = (m: DisplayMessage, index: number): boolean => {
    if (newAfter === null || m.seq === undefined || m.seq <= newAfter) return false;
    for (let i = index - 1; i >= 0; i--) {
      const seq = messages[i]!.seq;
      if (seq !== undefined) return seq <= newAfter;
    }
    return m.seq === newAfter + 1;
  };
  return {
    items: messages,
    height: innerHeight,
    keyOf: (m) => m.key,
    rowsOf: (m, index) => {
      let hit = cache.get(m);
      if (!hit || hit.params !== params) {
        hit = { params, rows: messageRows(m, { width: innerWidth, senderWidth, self, inBroadcasts }), variants: new Map() };
        cache.set(m, hit);
      }
      const previous = index > 0 ? messages[index - 1] : undefined;
      const day = !previous || !sameDay(previous.at, m.at);
      const first = index === 0 && top !== null ? top : null;
      const last = index === messages.length - 1 && bottom !== null ? bottom : null;
      const mark = m.key === marked;
      // Right under the start of the conversation every message is new: the start line says enough.
      const fresh = first !== 'start' && isFirstNew(m, index);
      if (!day && !fresh && !first && !last && !mark) return hit.rows;
      // The same row objects every time, so the pane keeps their nodes while they stay in view.
      const variant = `${day ? 'd' : ''}${fresh ? 'n' : ''}${first ?? ''}/${last ?? ''}${mark ? 'm' : ''}`;
      let rows = hit.variants.get(variant);
      if (!rows) {
        rows = [];
        if (first) rows.push(sharedRow(`top:${first}:${innerWidth}:${conversation}`, () => topRow(first, conversation ?? '', innerWidth)));
        if (day) rows.push(dayRow(m.at, innerWidth));
        if (fresh) rows.push(sharedRow(`new:${innerWidth}`, () => newRow(innerWidth)));
        rows.push(...(mark ? hit.rows.map((row) => row.map((s) => ({ ...s, inverse: true }))) : hit.rows));
        if (last) rows.push(sharedRow(`bottom:${last}:${innerWidth}`, () => bottomRow(last, innerWidth)));
        hit.variants.set(variant, rows);
      }
      return rows;
    },
  };
}

/** Index of the first unread message (the one right after the new line's seq), or -1 while it is not loaded. */
export function firstNewIndex(messages: readonly DisplayMessage[], newAfterSeq: number | null | undefined): number {
  if (newAfterSeq === null || newAfterSeq === undefined) return -1;
  for (let i = messages.length - 1; i >= 0; i--) {
    const seq = messages[i]!.seq;
    if (seq === newAfterSeq + 1) return i;
    if (seq !== undefined && seq <= newAfterSeq) return -1;
  }
  return -1;
}

export interface MessagePaneProps {
  conversation: string | null;
  messages: readonly DisplayMessage[];
  self: string | null;
  width: number;
  height: number;
  focused: boolean;
  scroll: Scroll;
  /** The other user is online (●) or not (○); null: unknown, while the connection is down (◌); undefined: no mark. */
  online?: boolean | null;
  /** See MessageListExtras. */
  newAfterSeq?: number | null;
  top?: Paging | null;
  bottom?: 'more' | 'loading' | null;
  marked?: string | null;
  /** The conversation has messages that are not loaded yet (its page is on its way). */
  loading?: boolean;
  /** The other user is away: their text ('' without one), shown in the title. */
  away?: string;
  /** Who is writing in this conversation now: shown in the bottom border (the input line never moves). */
  typing?: readonly string[];
  /** A group's members, who is online and away (group-header.ts): shown in the title after the name. */
  detail?: string;
}

/** "bob is typing…", "bob and carol are typing…", "4 people are typing…". */
export function typingLabel(names: readonly string[]): string {
  const shown = names.map(sanitizeInline);
  if (shown.length === 0) return '';
  if (shown.length === 1) return `${shown[0]} is typing…`;
  if (shown.length <= 3) return `${shown.slice(0, -1).join(', ')} and ${shown.at(-1)} are typing…`;
  return `${shown.length} people are typing…`;
}

/** With nothing open (every fresh login): what happens next, and the first commands. */
function welcomeRows(width: number): Row[] {
  const rows = hintRows('Nothing is open yet. A message that arrives opens here by itself.', width);
  rows.push([]);
  const commands: [string, string][] = [
    ['/msg <user> <text>', 'start a conversation'],
    ['/open <user>', 'open one (or F2, then Enter)'],
    ['/group create <name> <users>', 'a group conversation'],
    ['F6 or /people', 'everyone on the server (Enter opens)'],
    ['/whoelse', 'who is online now'],
    ['F1', 'every key and command'],
  ];
  for (const [command, what] of commands) {
    rows.push([
      // A long command takes its own room rather than pushing every description past 80 columns.
      { text: '  ' + command.padEnd(Math.max(20, command.length + 2)), color: theme.focusBorder },
      { text: what, color: theme.dim },
    ]);
  }
  return rows;
}

function hintRows(text: string, width: number): Row[] {
  return wrapLine(text, width).map((line) => [{ text: line, color: theme.dim }]);
}

function MessagePaneImpl(props: MessagePaneProps): React.ReactElement {
  const {
    conversation,
    messages,
    self,
    width,
    height,
    focused,
    scroll,
    online,
    newAfterSeq,
    top,
    bottom,
    marked,
    loading,
    away,
    typing,
    detail,
  } = props;
  const innerWidth = width - 2;
  const innerHeight = height - 2;
  const name = conversation === null ? 'Messages' : sanitizeInline(conversation);
  const presence = online === null ? PRESENCE_UNKNOWN : online ? '●' : '○';
  const named = conversation && conversation !== BROADCASTS && online !== undefined ? `${name} ${presence}` : name;
  const title =
    away !== undefined && conversation !== BROADCASTS
      ? `${named} ${awayLabel(sanitizeInline(away))}`
      : detail
        ? `${named} · ${detail}`
        : named;
  let rows: Row[];
  let footer: string | undefined;
  if (conversation === null) {
    rows = welcomeRows(innerWidth);
  } else if (messages.length === 0 && loading) {
    rows = hintRows('loading messages…', innerWidth);
  } else if (messages.length === 0) {
    const hint =
      conversation === BROADCASTS
        ? 'No broadcasts yet. /broadcast <text> sends one to everyone online.'
        : `No messages yet. What you type here goes to ${name}.`;
    rows = hintRows(hint, innerWidth);
  } else {
    const list = messageList(messages, innerWidth, innerHeight, self, conversation, { newAfterSeq, top, bottom, marked: marked ?? null });
    const view = visibleRows(list, scroll);
    rows = view.rows;
    if (view.newCount > 0) footer = `${view.newCount} new ↓`;
    else if (view.moreBelow) footer = 'more ↓ (End)';
  }
  const writing = typingLabel(typing ?? []);
  if (writing) footer = footer ? `${writing} · ${footer}` : writing;
  return <Pane title={title} hint="F3" width={width} height={height} focused={focused} rows={rows} footer={footer} />;
}

export const MessagePane = React.memo(MessagePaneImpl);
