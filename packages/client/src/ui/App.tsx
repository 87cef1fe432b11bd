/** The root: follows the client's state and shows the login screen or the chat screen. */
import React, { useEffect, useRef, useState } from 'react';
import type { ClientActions, ClientState } from '../core/types.js';
import { ChatScreen, type KeptDraft } from './ChatScreen.js';
import type { CommandHelp } from './HelpOverlay.js';
import { LoginScreen } from './LoginScreen.js';
import type { TerminalSize } from './use-terminal-size.js';
import { HeldKeys } from './held-keys.js';
import { KeyTarget, useKeyboard, type KeyHandler } from './use-keyboard.js';
import { installInkOutputCache } from '../patches/ink-output-cache.js';

// Ink's per-line caches outlive a frame (see ink-output-cache.ts): frames are built several times faster.
void installInkOutputCache();

export interface AppProps {
  client: ClientActions;
  /** The commands for the help screen (COMMANDS from the core). */
  commands: readonly CommandHelp[];
  /** Called on /quit and Ctrl+C. */
  onQuit: () => void;
  initialUser?: string;
  initialRegister?: boolean;
  initialRemember?: boolean;
  /** Overrides the terminal size (tests, examples). */
  size?: TerminalSize;
}

/** The client's state as React state; robust to getState() returning a new object each call. */
export function useClientState(client: ClientActions): ClientState {
  const [state, setState] = useState<ClientState>(() => client.getState());
  useEffect(() => {
    setState(client.getState());
    return client.subscribe((next) => setState(next));
  }, [client]);
  return state;
}

export function App({ client, commands, onQuit, initialUser, initialRegister, initialRemember, size }: AppProps): React.ReactElement {
  const state = useClientState(client);
  const shown = useRef(state.screen);
  shown.current = state.screen;
  // One keyboard subscription for the app's life; the screen on show takes the keys.
  const keyTarget = useRef<KeyHandler | null>(null);
  // Keys typed while a login is on its way wait for the chat screen that follows (held-keys.ts).
  const held = useRef(new HeldKeys());
  useKeyboard((key) => {
    for (const k of held.current.route(key, shown.current, client.getState())) keyTarget.current?.(k);
  });
  const loggingIn = state.screen === 'login' && state.connection === 'connecting';
  // After a logout (typed, or idle) the login screen offers the same name (to log in: the account
  // exists now, even if it was created with --register), and the chat screen
  // that follows gives that user back the line they were typing.
  const lastUser = useRef<string | undefined>(undefined);
  if (state.user) lastUser.current = state.user;
  const kept = useRef<KeptDraft | null>(null);
  useEffect(() => {
    if (state.screen === 'chat') {
      // The chat screen has rendered and taken the key target: the held keys are its.
      for (const key of held.current.release()) keyTarget.current?.(key);
    } else if (!loggingIn) {
      held.current.drop();
    }
  }, [state.screen, loggingIn]);
  const quitRequested = state.quitRequested === true;
  useEffect(() => {
    if (quitRequested) onQuit();
  }, [quitRequested, onQuit]);
  const screen =
    state.screen === 'login' ? (
      <LoginScreen
        state={state}
        actions={client}
        onQuit={onQuit}
        initialUser={lastUser.current ?? initialUser}
        initialRegister={lastUser.current ? false : initialRegister}
        initialRemember={initialRemember}
        size={size}
      />
    ) : (
      <ChatScreen state={state} actions={client} commands={commands} onQuit={onQuit} size={size} kept={kept} />
    );
  return <KeyTarget.Provider value={keyTarget}>{screen}</KeyTarget.Provider>;
}
