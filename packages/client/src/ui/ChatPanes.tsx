/**
 * What the chat screen draws, from the client's state and the screen's UI state: the conversation
 * list and the messages (or the help), the responses, the input line and the status bar.
 */
import React, { useRef } from 'react';
import { Box } from 'ink';
import { BROADCASTS, type ClientState } from '../core/types.js';
import type { UiState } from './chat-reducer.js';
import { ConversationList } from './ConversationList.js';
import { HelpOverlay, type CommandHelp } from './HelpOverlay.js';
import { InputLine } from './InputLine.js';
import { groupHeader } from './group-header.js';
import { PeopleOverlay } from './PeopleOverlay.js';
import { SearchOverlay } from './SearchOverlay.js';
import { peopleShown } from './people-list.js';
import type { ChatLayout } from './layout.js';
import { MessagePane, messageList, type MessageListExtras } from './MessagePane.js';
import { ResponsesPane } from './ResponsesPane.js';
import { StatusBar } from './StatusBar.js';
import type { VirtualList } from './virtual-list.js';
import { currentPreview, type Preview } from '../core/arrivals.js';
import { typingIn } from '../core/typing.js';

export function ChatPanes({
  state,
  ui,
  layout,
  commands,
  selected,
  flash,
  confirmQuit,
}: {
  state: ClientState;
  ui: UiState;
  layout: ChatLayout;
  commands: readonly CommandHelp[];
  selected: number;
  flash: string | null;
  confirmQuit: { unsent: number; kept: boolean } | null;
}): React.ReactElement {
  const open = state.openConversation;
  const openView = state.conversations.find((c) => c.with === open);
  // null: unknown (the connection is down); undefined: no mark (nothing open, the broadcasts, a group).
  const online =
    open && open !== BROADCASTS && !open.startsWith('#')
      ? state.presenceKnown
        ? openView?.online === true || state.online.includes(open)
        : null
      : undefined;
  const extras = listExtras(state);
  const preview = usePreview(state);
  return (
    <Box flexDirection="column" width={layout.columns} height={layout.height}>
      {ui.help.open ? (
        <HelpOverlay commands={commands} width={layout.columns} height={layout.topHeight + layout.responsesHeight} top={ui.help.top} />
      ) : ui.people.open ? (
        <PeopleOverlay
          state={state}
          shown={peopleShown(state, ui.people.filter)}
          filter={ui.people.filter}
          selected={ui.people.selected}
          width={layout.columns}
          height={layout.topHeight + layout.responsesHeight}
        />
      ) : ui.search.open && state.search ? (
        <SearchOverlay
          search={state.search}
          me={state.user ?? ''}
          selected={ui.search.selected}
          width={layout.columns}
          height={layout.topHeight + layout.responsesHeight}
        />
      ) : (
        <>
          <Box flexDirection="row" width={layout.columns} height={layout.topHeight}>
            <ConversationList
              conversations={state.conversations}
              online={state.online}
              presenceKnown={state.presenceKnown}
              away={state.away}
              open={open}
              selected={selected}
              width={layout.listWidth}
              height={layout.topHeight}
              focused={ui.focus === 'conversations'}
            />
            <MessagePane
              conversation={open}
              messages={open ? (state.messages[open] ?? EMPTY) : EMPTY}
              self={state.user}
              width={layout.messagesWidth}
              height={layout.topHeight}
              focused={ui.focus === 'messages'}
              scroll={ui.messageScroll}
              online={online}
              newAfterSeq={extras.newAfterSeq}
              top={extras.top}
              bottom={extras.bottom}
              marked={ui.marked}
              loading={openView !== undefined && (openView.unread > 0 || openView.lastAt !== null) && state.paging[open ?? ''] !== 'start'}
              away={open ? state.away[open] : undefined}
              typing={typingIn(state, open)}
              detail={open?.startsWith('#') ? groupHeader(state, open) : undefined}
            />
          </Box>
          <ResponsesPane
            responses={state.responses}
            width={layout.columns}
            height={layout.responsesHeight}
            focused={ui.focus === 'responses'}
            scroll={ui.responseScroll}
          />
        </>
      )}
      <InputLine
        editor={ui.editor}
        target={open}
        width={layout.columns}
        focused={ui.focus === 'input' && !ui.help.open && !ui.people.open && !ui.search.open}
        placeholder="Esc: type here"
        preview={preview}
        confirmQuit={confirmQuit}
      />
      <StatusBar
        user={state.user}
        server={state.server}
        connection={state.connection}
        connectionDetail={state.connectionDetail}
        reconnectAt={state.reconnectAt}
        unread={state.unreadTotal}
        away={state.user ? state.away[state.user] : undefined}
        width={layout.columns}
        flash={flash}
      />
    </Box>
  );
}

export const EMPTY: never[] = [];

/** The open conversation's new line, first row (start reached, or an older page loading) and last (a window's newer messages). */
export function listExtras(state: ClientState): MessageListExtras {
  const open = state.openConversation;
  if (!open) return {};
  const marker = state.newMarker;
  const list = state.messages[open];
  const start = open !== BROADCASTS && list?.[0]?.seq === 1 ? 'start' : null;
  return {
    newAfterSeq: marker && marker.conversation === open ? marker.afterSeq : null,
    top: state.paging[open] ?? start,
    bottom: state.newer[open] ?? null,
  };
}

/** The messages pane's virtual list for a state and layout: what it draws and what keys scroll. */
export function messageListFor(state: ClientState, layout: ChatLayout): VirtualList<unknown> {
  const open = state.openConversation;
  const messages = open ? (state.messages[open] ?? EMPTY) : EMPTY;
  return messageList(messages, layout.messagesWidth - 2, layout.topHeight - 2, state.user, open, listExtras(state)) as VirtualList<unknown>;
}

/** The preview line's content, the same object while it shows the same thing (the input line is memoised). */
function usePreview(state: ClientState): Preview | null {
  const last = useRef<Preview | null>(null);
  const next = currentPreview(state);
  const same = next && last.current && next.arrival === last.current.arrival && next.others === last.current.others;
  if (!same) last.current = next;
  return last.current;
}
