/** The messages of the open conversation: virtualised, wrapped by display width, scrollable. */
import React from 'react';
import { BROADCASTS, type DisplayMessage } from '../core/types.js';
import { theme } from './colors.js';
import { dayRow, messageRows, sameDay, senderColumnWidth } from './message-rows.js';
import { Pane } from './Pane.js';
import { sanitizeInline } from './sanitize.js';
import type { Row } from './segments.js';
import { wrapLine } from './text-layout.js';
import { visibleRows, type Scroll, type VirtualList } from './virtual-list.js';

/** Per message: its rows for one set of parameters, and the same with a day separator first. */
const cache = new WeakMap<DisplayMessage, { params: string; rows: Row[]; withDay?: Row[] }>();

/** The virtual list the pane draws and the key handlers scroll: both must agree. */
export function messageList(
  messages: readonly DisplayMessage[],
  innerWidth: number,
  innerHeight: number,
  self: string | null,
  conversation: string | null,
): VirtualList<DisplayMessage> {
  // A pair conversation has two names; the broadcasts have whoever wrote them.
  const names = [self ?? ''];
  if (conversation && conversation !== BROADCASTS) names.push(conversation);
  else for (const m of messages) if (m.from.length > (names[1]?.length ?? 0)) names[1] = m.from;
  const senderWidth = senderColumnWidth(innerWidth, names);
  const params = `${innerWidth}:${senderWidth}:${self ?? ''}`;
  return {
    items: messages,
    height: innerHeight,
    keyOf: (m) => m.key,
    rowsOf: (m, index) => {
      let hit = cache.get(m);
      if (!hit || hit.params !== params) {
        hit = { params, rows: messageRows(m, { width: innerWidth, senderWidth, self }) };
        cache.set(m, hit);
      }
      const previous = index > 0 ? messages[index - 1] : undefined;
      if (previous && sameDay(previous.at, m.at)) return hit.rows;
      // The same row objects every time, so the pane keeps their nodes while they stay in view.
      hit.withDay ??= [dayRow(m.at, innerWidth), ...hit.rows];
      return hit.withDay;
    },
  };
}

export interface MessagePaneProps {
  conversation: string | null;
  messages: readonly DisplayMessage[];
  self: string | null;
  width: number;
  height: number;
  focused: boolean;
  scroll: Scroll;
  online?: boolean;
}

function hintRows(text: string, width: number): Row[] {
  return wrapLine(text, width).map((line) => [{ text: line, color: theme.dim }]);
}

function MessagePaneImpl(props: MessagePaneProps): React.ReactElement {
  const { conversation, messages, self, width, height, focused, scroll, online } = props;
  const innerWidth = width - 2;
  const innerHeight = height - 2;
  const name = conversation === null ? 'Messages' : sanitizeInline(conversation);
  const title = conversation && conversation !== BROADCASTS && online !== undefined ? `${name} ${online ? '●' : '○'}` : name;
  let rows: Row[];
  let footer: string | undefined;
  if (conversation === null) {
    rows = hintRows('No conversation open. Pick one on the left (F2, then Enter), or type /open <user>.', innerWidth);
  } else if (messages.length === 0) {
    const hint =
      conversation === BROADCASTS
        ? 'No broadcasts yet. /broadcast <text> sends one to everyone online.'
        : `No messages yet. What you type here goes to ${name}.`;
    rows = hintRows(hint, innerWidth);
  } else {
    const view = visibleRows(messageList(messages, innerWidth, innerHeight, self, conversation), scroll);
    rows = view.rows;
    if (view.newCount > 0) footer = `${view.newCount} new ↓`;
    else if (view.moreBelow) footer = 'more ↓ (End)';
  }
  return <Pane title={title} hint="F3" width={width} height={height} focused={focused} rows={rows} footer={footer} />;
}

export const MessagePane = React.memo(MessagePaneImpl);
