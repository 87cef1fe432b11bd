/**
 * The chat screen: conversation list, messages, responses, input line and status bar, sized to
 * the terminal. It renders, and hands each key to the reducer (chat-reducer.ts: keys as named
 * actions, see keymap.ts), then carries out the effects it returns. Incoming state never touches
 * the input line.
 */
import React, { useEffect, useReducer, useRef } from 'react';
import type { ClientActions, ClientState } from '../core/types.js';
import { followState, initialUi, reduceKey, selectionIndex, type Effect, type Env, type UiState } from './chat-reducer.js';
import { listEntries } from './ConversationList.js';
import type { CommandHelp } from './HelpOverlay.js';
import { ChatPanes, EMPTY, listExtras, messageListFor } from './ChatPanes.js';
import * as ed from './input-editor.js';
import type { KeyEvent } from './keys.js';
import { chatLayout, tooSmall } from './layout.js';
import { firstNewIndex } from './MessagePane.js';
import { responseList } from './ResponsesPane.js';
import { TooSmall } from './TooSmall.js';
import { actionFor } from './keymap.js';
import { useScreenKeys } from './use-keyboard.js';
import { useRedraw } from './use-redraw.js';
import { useTerminalSize, type TerminalSize } from './use-terminal-size.js';
import type { VirtualList } from './virtual-list.js';
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
  // The client runs lines one after another, in the order they were entered (ChatClient.submit).
  const runLine = (line: string): Promise<void> => latest.current.actions.submit(line);

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
      case 'people':
        return run(client.listPeople(effect.prefix, effect.next));
      case 'completeLater': {
        const { value, cursor } = effect;
        client
          .lookupNames(value.slice(0, cursor))
          .then((found) => {
            const editor = ui.current.editor;
            // Typed on meanwhile: that line is the person's now, not this completion's.
            if (editor.value !== value || editor.cursor !== cursor) return;
            if (!found) return showFlash('no completions');
            ui.current = { ...ui.current, editor: ed.complete(editor, (line) => client.complete(line), effect.backwards) };
            render();
          })
          .catch(() => showFlash('no completions'));
        return;
      }
      case 'loadNewer':
        return run(client.loadNewer(effect.conversation));
      case 'searchMore':
        return run(client.searchMore());
      case 'showMessage':
        return run(client.showMessage(effect.conversation, effect.seq));
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
  // What the input line holds, for the typing notice (the client decides whether and when to send).
  const draft = ui.current.editor.value;
  useEffect(() => {
    latest.current.actions.draft(draft);
  }, [draft, state.openConversation, state.connection]);
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
