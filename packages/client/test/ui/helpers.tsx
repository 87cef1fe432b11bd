/** Test helpers for the UI: client states, a fake client, keys, and waiting for frames. */
import React from 'react';
import { render } from 'ink-testing-library';
import { App } from '../../src/ui/App.js';
import { lineEffect } from '../../src/core/commands/index.js';
import { initialState } from '../../src/core/initial-state.js';
import { tick, waitFor } from './wait.js';

export { tick, waitFor } from './wait.js';
import type { CommandHelp } from '../../src/ui/HelpOverlay.js';
import type { ClientActions, ClientState, DisplayMessage, LoginRequest } from '../../src/core/types.js';
import type { KeyEvent, KeyName } from '../../src/ui/keys.js';

/** A chat screen (alice, talking to bob) as the UI tests start from, with `patch` over it. */
export function makeState(patch: Partial<ClientState> = {}): ClientState {
  // The client's own logged-out state under what a chat screen has, so a new ClientState field
  // gets its default here without this file changing.
  return {
    ...initialState('127.0.0.1:4000', true, { bell: true, title: true, notify: 'off', typing: true }),
    screen: 'chat',
    connection: 'connected',
    user: 'alice',
    conversations: [
      { with: 'bob', unread: 2, online: true, lastAt: 1 },
      { with: 'carol', unread: 0, online: false, lastAt: 1 },
    ],
    openConversation: 'bob',
    messages: { bob: [] },
    online: ['bob'],
    knownUsers: ['bob', 'bobby', 'carol'],
    unreadTotal: 2,
    ...patch,
  };
}

const BASE = new Date(2024, 5, 3, 10, 0, 0).getTime();

export function msg(i: number, patch: Partial<DisplayMessage> = {}): DisplayMessage {
  return {
    key: `m${i}`,
    from: i % 2 === 0 ? 'bob' : 'alice',
    to: i % 2 === 0 ? 'alice' : 'bob',
    text: `message number ${i}`,
    at: BASE + i * 1000,
    status: 'sent',
    seq: i + 1,
    kind: 'direct',
    ...patch,
  };
}

export function msgs(n: number, from = 0): DisplayMessage[] {
  return Array.from({ length: n }, (_, i) => msg(from + i));
}

/** A ClientActions that records calls; `set` changes the state and tells subscribers. */
export class FakeClient implements ClientActions {
  state: ClientState;
  listeners = new Set<(s: ClientState) => void>();
  submitted: string[] = [];
  opened: string[] = [];
  older: string[] = [];
  logins: LoginRequest[] = [];
  completions: Record<string, string[]> = {};
  loginResult = true;
  closed = false;

  constructor(state: ClientState = makeState()) {
    this.state = state;
  }

  set(patch: Partial<ClientState>): void {
    this.state = { ...this.state, ...patch };
    for (const l of this.listeners) l(this.state);
  }

  getState = (): ClientState => this.state;
  subscribe = (listener: (s: ClientState) => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };
  login = async (request: LoginRequest): Promise<boolean> => {
    this.logins.push(request);
    if (!this.loginResult) this.set({ loginError: 'wrong name or password' });
    return this.loginResult;
  };
  resume = async (): Promise<boolean> => false;
  submit = async (line: string): Promise<void> => {
    this.submitted.push(line);
  };
  open = async (conversation: string): Promise<void> => {
    this.opened.push(conversation);
    this.set({ openConversation: conversation });
  };
  loadOlder = async (conversation: string): Promise<void> => {
    this.older.push(conversation);
  };
  /** The people list's requests (prefix, next); tests answer by set({ people }). */
  peopleAsked: [string, boolean][] = [];
  listPeople = async (prefix: string, next = false): Promise<void> => {
    this.peopleAsked.push([prefix, next]);
  };
  /** Search and window requests, in order: 'more', 'show bob 12', 'newer bob'; tests answer by set(). */
  asked: string[] = [];
  searchMore = async (): Promise<void> => {
    this.asked.push('more');
  };
  showMessage = async (conversation: string, seq: number): Promise<void> => {
    this.asked.push(`show ${conversation} ${seq}`);
  };
  loadNewer = async (conversation: string): Promise<void> => {
    this.asked.push(`newer ${conversation}`);
  };
  complete = (line: string): string[] => this.completions[line] ?? [];
  /** lookupNames(): the lines asked, and what the next answer adds to `completions` (none: false). */
  lookedUp: string[] = [];
  lookupAdds: Record<string, string[]> | null = null;
  lookupNames = async (line: string): Promise<boolean> => {
    this.lookedUp.push(line);
    const adds = this.lookupAdds;
    if (!adds) return false;
    Object.assign(this.completions, adds);
    return true;
  };
  lineEffect = (line: string): 'help' | 'quit' | null => lineEffect(line);
  /** What unsent() answers (tests set it). */
  unsentNow = { unsent: 0, kept: true };
  unsent = (): { unsent: number; kept: boolean } => this.unsentNow;
  /** What the screen reported the input line holds (draft()), in order. */
  drafts: string[] = [];
  draft = (text: string): void => {
    this.drafts.push(text);
  };
  /** Key presses the screen reported (active()). */
  activeCalls = 0;
  active = (): void => {
    this.activeCalls++;
  };
  retries = 0;
  /** What retryNow answers (true: a retry was waiting). */
  retryWaiting = true;
  retryNow = (): boolean => {
    this.retries++;
    return this.retryWaiting;
  };
  logout = async (): Promise<void> => undefined;
  close = (): void => {
    this.closed = true;
  };
}

/** The key a table id stands for. */
export function keyOf(id: string): KeyEvent {
  const parts = id.split('+');
  const base = parts.pop()!;
  const mods = new Set(parts);
  const named = base.length > 1;
  return {
    name: (named ? base : 'text') as KeyName,
    text: named ? '' : base,
    ctrl: mods.has('ctrl'),
    meta: mods.has('alt'),
    shift: mods.has('shift'),
    raw: id,
  };
}

export const KEY = {
  enter: '\r',
  tab: '\t',
  shiftTab: '\x1b[Z',
  esc: '\x1b',
  up: '\x1b[A',
  down: '\x1b[B',
  left: '\x1b[D',
  right: '\x1b[C',
  pageUp: '\x1b[5~',
  pageDown: '\x1b[6~',
  home: '\x1b[H',
  end: '\x1b[F',
  backspace: '\x7f',
  f1: '\x1bOP',
  f2: '\x1bOQ',
  f3: '\x1bOR',
  f4: '\x1bOS',
  f2Alt: '\x1b[12~',
  alt: (c: string) => `\x1b${c}`,
  ctrl: (c: string) => String.fromCharCode(c.charCodeAt(0) - 96),
};

/** Writes keys one event at a time (Ink splits a chunk into keys itself, but Esc needs a tick). */
export async function press(stdin: { write(data: string): void }, ...keys: string[]): Promise<void> {
  for (const k of keys) {
    stdin.write(k);
    await tick();
  }
}

export interface Harness {
  client: FakeClient;
  frame(): string;
  lines(): string[];
  press(...keys: string[]): Promise<void>;
  /** Waits until the frame satisfies `check`. */
  until(check: (frame: string) => boolean, timeout?: number): Promise<string>;
  unmount(): void;
  quits: number;
}

export async function setup(
  state: ClientState = makeState(),
  options: { columns?: number; rows?: number; commands?: readonly CommandHelp[]; initialUser?: string; initialRegister?: boolean } = {},
): Promise<Harness> {
  const client = new FakeClient(state);
  const h = { quits: 0 } as Harness;
  const r = render(
    <App
      client={client}
      commands={options.commands ?? [{ name: 'msg', aliases: ['send'], usage: '/msg <user> <text>', summary: 'send a message' }]}
      onQuit={() => {
        h.quits++;
      }}
      initialUser={options.initialUser}
      initialRegister={options.initialRegister}
      size={{ columns: options.columns ?? 80, rows: options.rows ?? 24 }}
    />,
  );
  const frame = () => r.lastFrame() ?? '';
  // Keys are read once the UI has put stdin in raw mode and listens for 'readable'.
  await waitFor(() => r.stdin.listenerCount('readable') > 0, frame);
  Object.assign(h, {
    client,
    frame,
    lines: () => frame().split('\n'),
    press: (...keys: string[]) => press(r.stdin, ...keys),
    until: async (check: (f: string) => boolean, timeout?: number) => {
      await waitFor(() => check(frame()), frame, timeout);
      return frame();
    },
    unmount: () => r.unmount(),
  });
  return h;
}

/** Which pane has the focused (double) border. */
export function focusedPane(frame: string): string | null {
  const lines = frame.split('\n');
  if (lines[0]?.startsWith('╔═ Conversations')) return 'conversations';
  if (lines[0]?.includes('╔')) return 'messages';
  if (lines.some((l) => l.startsWith('╔═ Responses'))) return 'responses';
  if (lines.some((l) => l.startsWith('╔') && l.includes('Esc'))) return 'input';
  return null;
}

/** The text of the input line (between the borders, prompt included). */
export function inputText(frame: string): string {
  const lines = frame.split('\n');
  const at = lines.findIndex((l) => /^[╔┌].*Esc/.test(l));
  return (lines[at + 1] ?? '').slice(1, -1).trimEnd();
}
