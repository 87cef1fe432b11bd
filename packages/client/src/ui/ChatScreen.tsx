/**
 * The chat screen: conversation list, messages, responses, input line and status bar, sized to
 * the terminal. It renders, and hands each key to the reducer (chat-reducer.ts: keys as named
 * actions, see keymap.ts), then carries out the effects it returns. Incoming state never touches
 * the input line.
 */
import React, { useEffect, useReducer, useRef } from 'react';
import { Box } from 'ink';
import { BROADCASTS, type ClientActions, type ClientState } from '../core/types.js';
import { followState, initialUi, reduceKey, selectionIndex, type Effect, type Env, type UiState } from './chat-reducer.js';
import { ConversationList, listEntries } from './ConversationList.js';
import { HelpOverlay, type CommandHelp } from './HelpOverlay.js';
import * as ed from './input-editor.js';
import { InputLine } from './InputLine.js';
import type { KeyEvent } from './keys.js';
import { chatLayout, tooSmall, type ChatLayout } from './layout.js';
import { firstNewIndex, MessagePane, messageList, type MessageListExtras } from './MessagePane.js';
import { ResponsesPane, responseList } from './ResponsesPane.js';
import { StatusBar } from './StatusBar.js';
import { TooSmall } from './TooSmall.js';
import { actionFor } from './keymap.js';
import { useScreenKeys } from './use-keyboard.js';
import { useRedraw } from './use-redraw.js';
import { useTerminalSize, type TerminalSize } from './use-terminal-size.js';
import type { VirtualList } from './virtual-list.js';
import { currentPreview, type Preview } from '../core/arrivals.js';
import { secondsLeft, useCountdownClock } from './countdown.js';

export { PANE_ORDER, type PaneId } from './chat-reducer.js';

export interface ChatScreenProps {
  state: ClientState;
  actions: ClientActions;
  commands: readonly CommandHelp[];
  onQuit: () => void;
  /** Overrides the terminal size (tests, examples). */
  size?: TerminalSize;
  /** Where the input line is kept when the screen closes (a logout), for the same user's next login. */
  kept?: React.MutableRefObject<KeptDraft | null>;
}

/** The input line (with its history) of a chat screen that closed, and whose it was. */
export interface KeptDraft {
  user: string | null;
  editor: ed.EditorState;
}

const FLASH_MS = 4000;
const QUIT_GRACE_MS = 1500;

export function ChatScreen({ state, actions, commands, onQuit, size, kept }: ChatScreenProps): React.ReactElement {
  const { columns, rows } = useTerminalSize(size);
  const small = tooSmall(columns, rows);
  const layout = chatLayout(columns, rows);
  // UI state lives in a ref so that several keys in one input chunk each see the previous
  // one's result; `render` re-renders after each change.
  const ui = useRef<UiState>(null as unknown as UiState);
  // A line half-typed when the last session ended (idle, /logout) is back for the same user.
  ui.current ??= { ...initialUi(), editor: kept?.current?.user === state.user ? kept.current.editor : initialUi().editor };
  useEffect(
    () => () => {
      if (kept) kept.current = { user: latest.current.state.user, editor: ed.cancelPaste({ ...ui.current.editor, completion: null }) };
    },
    [kept],
  );
  const [, render] = useReducer((n: number) => n + 1, 0);
  const [flash, setFlash] = React.useState<string | null>(null);
  const flashTimer = useRef<NodeJS.Timeout | null>(null);
  const latest = useRef({ state, actions, layout, commands, onQuit, small });
  latest.current = { state, actions, layout, commands, onQuit, small };
  // Lines run one after another, in the order they were entered: a paste's lines never mix with
  // lines typed after it, and "/open bob" then "hi" sends "hi" to bob.
  const lineQueue = useRef<Promise<unknown>>(Promise.resolve());
  const redraw = useRedraw();

  useEffect(
    () => () => {
      if (flashTimer.current) clearTimeout(flashTimer.current);
    },
    [],
  );

  ui.current = followState(
    ui.current,
    state,
    () => messageListFor(state, layout),
    () => (state.openConversation ? firstNewIndex(state.messages[state.openConversation] ?? EMPTY, state.newMarker?.afterSeq) : -1),
  );

  const showFlash = (text: string) => {
    if (flashTimer.current) clearTimeout(flashTimer.current);
    setFlash(text);
    flashTimer.current = setTimeout(() => setFlash(null), FLASH_MS);
    flashTimer.current.unref?.();
  };
  const run = (promise: Promise<unknown>) => {
    promise.catch((error: unknown) => showFlash(error instanceof Error ? error.message : String(error)));
  };
  const runLine = (line: string): Promise<void> => {
    const done = lineQueue.current.then(() => latest.current.actions.submit(line));
    lineQueue.current = done.catch(() => undefined);
    return done;
  };

  const perform = (effect: Effect) => {
    const { actions: client, onQuit: quit } = latest.current;
    switch (effect.type) {
      case 'submit':
        return run(runLine(effect.line));
      case 'quit': {
        // The client logs out and sets quitRequested (after the lines before it, so a message typed
        // just before goes out); leave anyway if that takes too long.
        const timer = setTimeout(quit, QUIT_GRACE_MS);
        runLine(effect.line)
          .catch(() => undefined)
          .finally(() => {
            clearTimeout(timer);
            quit();
          });
        return;
      }
      case 'quitNow':
        return quit();
      case 'redraw':
        return redraw();
      case 'open':
        return run(client.open(effect.conversation));
      case 'loadOlder':
        return run(client.loadOlder(effect.conversation));
      case 'flash':
        return showFlash(effect.text);
      case 'retryNow':
        // Said either way: against a server that is still down the attempt fails in a moment and
        // the countdown starts again, which alone would look as if the key did nothing. False: an
        // attempt is under way already (the status bar says "trying now").
        return showFlash(client.retryNow() ? 'retried now' : 'already trying to reconnect');
    }
  };

  const onKey = (key: KeyEvent) => {
    const { state: s, actions: client, layout: l, commands: cmds, small: tiny } = latest.current;
    client.active();
    const global = actionFor('global', key);
    if (tiny && global !== 'quit' && global !== 'screen.redraw') return;
    const env: Env = {
      state: s,
      layout: l,
      commands: cmds,
      messageList: () => messageListFor(s, l),
      responseList: () => responseList(s.responses, l.columns - 2, l.responsesHeight - 2) as VirtualList<unknown>,
      complete: (line) => client.complete(line),
      lineEffect: (line) => client.lineEffect(line),
      unsent: () => client.unsent().unsent,
      olderMayExist: () => listExtras(s).top === null,
    };
    const { ui: next, effects } = reduceKey(ui.current, key, env);
    ui.current = next;
    render();
    for (const effect of effects) perform(effect);
  };

  useScreenKeys(onKey);
  // A minute before an idle logout the status bar counts down; any key stays (core/idle.ts).
  const idleAt = state.idleLogoutAt ?? null;
  const now = useCountdownClock(idleAt);

  const entries = listEntries(state.conversations);
  const selected = selectionIndex(entries, ui.current.selected, state.openConversation);
  if (small) return <TooSmall columns={columns} rows={rows} />;
  const confirmQuit = ui.current.confirmQuit ? actions.unsent() : null;
  const shownFlash = idleAt !== null ? `idle: logout in ${secondsLeft(idleAt, now)} s` : flash;
  return (
    <ChatPanes
      state={state}
      ui={ui.current}
      layout={layout}
      commands={commands}
      selected={selected}
      flash={shownFlash}
      confirmQuit={confirmQuit}
    />
  );
}

function ChatPanes({
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
  // null: unknown (the connection is down); undefined: no mark (nothing open, or the broadcasts).
  const online =
    open && open !== BROADCASTS ? (state.presenceKnown ? openView?.online === true || state.online.includes(open) : null) : undefined;
  const extras = listExtras(state);
  const preview = usePreview(state);
  return (
    <Box flexDirection="column" width={layout.columns} height={layout.height}>
      {ui.help.open ? (
        <HelpOverlay commands={commands} width={layout.columns} height={layout.topHeight + layout.responsesHeight} top={ui.help.top} />
      ) : (
        <>
          <Box flexDirection="row" width={layout.columns} height={layout.topHeight}>
            <ConversationList
              conversations={state.conversations}
              online={state.online}
              presenceKnown={state.presenceKnown}
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
              loading={openView !== undefined && (openView.unread > 0 || openView.lastAt !== null)}
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
        focused={ui.focus === 'input' && !ui.help.open}
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
        width={layout.columns}
        flash={flash}
      />
    </Box>
  );
}

const EMPTY: never[] = [];

/** The open conversation's new line and first row (start reached, or an older page loading). */
function listExtras(state: ClientState): MessageListExtras {
  const open = state.openConversation;
  if (!open) return {};
  const marker = state.newMarker;
  const list = state.messages[open];
  const start = open !== BROADCASTS && list?.[0]?.seq === 1 ? 'start' : null;
  return {
    newAfterSeq: marker && marker.conversation === open ? marker.afterSeq : null,
    top: state.paging[open] ?? start,
  };
}

/** The messages pane's virtual list for a state and layout: what it draws and what keys scroll. */
function messageListFor(state: ClientState, layout: ChatLayout): VirtualList<unknown> {
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
