/**
 * The login screen: name, hidden password, and (when the server allows it) creating an account,
 * with the last failure shown in place ("locked: try again in 42 s").
 */
import React, { useReducer, useRef } from 'react';
import { Box } from 'ink';
import { nameProblem, PASSWORD_MIN_LENGTH } from '@tui-chat/protocol';
import type { ClientActions, ClientState, ServerCheck } from '../core/types.js';
import { connectionColor, theme } from './colors.js';
import { secondsLeft, useCountdownClock } from './countdown.js';
import * as ed from './input-editor.js';
import { inputRow } from './InputLine.js';
import type { KeyEvent } from './keys.js';
import { actionFor } from './keymap.js';
import { LINE_EDITS } from './line-edits.js';
import { tooSmall } from './layout.js';
import { Pane, RowText } from './Pane.js';
import { sanitizeInline } from './sanitize.js';
import { useRedraw } from './use-redraw.js';
import { fitRow, type Row } from './segments.js';
import { graphemes, wrapLine } from './text-layout.js';
import { TooSmall } from './TooSmall.js';
import { useScreenKeys } from './use-keyboard.js';
import { useTerminalSize, type TerminalSize } from './use-terminal-size.js';

export { secondsLeft };

type Field = 'name' | 'password' | 'confirm' | 'register';

export interface LoginScreenProps {
  state: ClientState;
  actions: ClientActions;
  onQuit: () => void;
  /** Prefills the name (from --user). */
  initialUser?: string;
  /** Start in "create an account" mode (from --register). */
  initialRegister?: boolean;
  size?: TerminalSize;
}

interface LoginUi {
  name: ed.EditorState;
  password: ed.EditorState;
  confirm: ed.EditorState;
  register: boolean;
  field: Field;
  busy: boolean;
  localError: string | null;
}

function editorWith(value: string): ed.EditorState {
  return { ...ed.emptyEditor(), value, cursor: value.length };
}

/** Under the title: nothing while the server answers; a line while it is asked; why nothing answers, and when it is asked again. */
function serverRows(check: ServerCheck | undefined, server: string, now: number, inner: number): Row[] {
  if (check?.state === 'checking') return [[{ text: '   asking the server…', color: theme.dim }]];
  if (check?.state !== 'silent') return [[]];
  const left = secondsLeft(check.retryAt, now);
  const text = `Nothing answers at ${sanitizeInline(server)} (${sanitizeInline(check.problem)}); ${left > 0 ? `asking again in ${left} s` : 'asking again…'}`;
  return wrapLine(text, inner - 4).map((line, i) => [{ text: (i === 0 ? ' ✗ ' : '   ') + line, color: theme.error }]);
}

export function LoginScreen(props: LoginScreenProps): React.ReactElement {
  const { state, actions, onQuit, initialUser, initialRegister, size } = props;
  const { columns, rows } = useTerminalSize(size);
  const check = state.serverCheck;
  const now = useCountdownClock(state.loginRetryAt ?? (check?.state === 'silent' ? check.retryAt : null));
  const ui = useRef<LoginUi>({
    name: editorWith(initialUser ?? ''),
    password: ed.emptyEditor(),
    confirm: ed.emptyEditor(),
    register: initialRegister === true,
    field: initialUser ? 'password' : 'name',
    busy: false,
    localError: null,
  });
  const [, render] = useReducer((n: number) => n + 1, 0);
  const latest = useRef({ state, actions, onQuit });
  latest.current = { state, actions, onQuit };

  const canRegister = state.registrationOpen !== false;
  if (!canRegister && ui.current.register)
    ui.current = { ...ui.current, register: false, field: ui.current.field === 'confirm' ? 'password' : ui.current.field };
  const fields: Field[] = ui.current.register
    ? ['name', 'password', 'confirm', 'register']
    : canRegister
      ? ['name', 'password', 'register']
      : ['name', 'password'];

  const set = (patch: Partial<LoginUi>) => {
    ui.current = { ...ui.current, ...patch };
    render();
  };

  const submit = () => {
    const u = ui.current;
    const name = u.name.value.trim();
    const problem = nameProblem(name);
    if (problem) return set({ localError: problem, field: 'name' });
    if (u.password.value === '') return set({ localError: 'Type your password.', field: 'password' });
    if (u.register) {
      if (u.password.value.length < PASSWORD_MIN_LENGTH) {
        return set({ localError: `A password has at least ${PASSWORD_MIN_LENGTH} characters.`, field: 'password' });
      }
      if (u.password.value !== u.confirm.value) {
        return set({ localError: 'The two passwords differ.', field: 'confirm', confirm: ed.emptyEditor() });
      }
    }
    set({ busy: true, localError: null });
    latest.current.actions.login({ user: name, password: u.password.value, register: u.register }).then(
      (ok) => {
        if (!ok) set({ busy: false, password: ed.emptyEditor(), confirm: ed.emptyEditor(), field: 'password' });
        else set({ busy: false });
      },
      (error: unknown) => set({ busy: false, localError: error instanceof Error ? error.message : String(error) }),
    );
  };

  const redraw = useRedraw();
  const onKey = (key: KeyEvent) => {
    const action = actionFor('login', key);
    if (action === 'quit') return latest.current.onQuit();
    if (action === 'screen.redraw') return redraw();
    const u = ui.current;
    if (u.busy) return;
    const toggleRegister = () => {
      if (latest.current.state.registrationOpen === false) return;
      set({ register: !u.register, localError: null, field: u.field === 'confirm' ? 'password' : u.field });
    };
    const at = fields.indexOf(u.field);
    const go = (delta: number) => set({ field: fields[(at + delta + fields.length) % fields.length] });
    switch (action) {
      case 'login.toggleRegister':
        return toggleRegister();
      case 'login.nextField':
        return go(1);
      case 'login.previousField':
        return go(-1);
      default:
    }
    if (u.field === 'register') {
      if (action === 'login.next' || (key.name === 'text' && key.text === ' ')) return toggleRegister();
      return;
    }
    if (action === 'login.next') {
      if (u.field === 'name' && u.name.value.trim() !== '') return set({ field: 'password' });
      if (u.field === 'password' && u.register && u.confirm.value === '') return set({ field: 'confirm' });
      return submit();
    }
    const field = u.field;
    const current = u[field];
    // The fields edit as the input line does (the keymap's input context), one line each.
    const editing = actionFor('input', key);
    const edit = editing && !editing.startsWith('history.') ? LINE_EDITS[editing] : undefined;
    let next = current;
    if (key.name === 'text' && !key.ctrl && !key.meta) next = ed.insert(current, key.text);
    else if (key.name === 'paste') next = ed.insert(current, key.text.split(/\r\n|\r|\n/)[0] ?? '');
    else if (edit) next = edit(current);
    if (next !== current) set({ [field]: next, localError: null } as Partial<LoginUi>);
  };

  useScreenKeys(onKey);

  if (tooSmall(columns, rows)) return <TooSmall columns={columns} rows={rows} />;

  const u = ui.current;
  const width = Math.min(64, columns - 2);
  const inner = width - 2;
  // ' ▸ ' and the longest label ("Repeat password") with two spaces after it.
  const labelWidth = 20;
  const room = Math.max(4, inner - labelWidth - 1);
  const fieldRow = (label: string, field: Field, value: ed.EditorState, mask: boolean): Row => {
    const focused = u.field === field && !u.busy;
    const shown = mask ? '•'.repeat(graphemes(value.value).length) : value.value;
    const cursor = mask ? graphemes(value.value.slice(0, value.cursor)).length : value.cursor;
    return [
      { text: focused ? ' ▸ ' : '   ', color: theme.focusBorder, bold: true },
      { text: label.padEnd(labelWidth - 3), bold: focused },
      ...inputRow(shown, cursor, room, focused),
    ];
  };
  const body: Row[] = [];
  const title = u.register ? 'Create an account on' : 'Log in to';
  body.push([{ text: ` ${title} ` }, { text: sanitizeInline(state.server), bold: true }]);
  body.push(...serverRows(check, state.server, now, inner));
  body.push(fieldRow('Name', 'name', u.name, false));
  body.push(fieldRow('Password', 'password', u.password, true));
  if (u.register) body.push(fieldRow('Repeat password', 'confirm', u.confirm, true));
  if (canRegister) {
    const focused = u.field === 'register' && !u.busy;
    body.push([
      { text: focused ? ' ▸ ' : '   ', color: theme.focusBorder, bold: true },
      { text: u.register ? '[x]' : '[ ]', bold: focused, inverse: focused },
      { text: ' Create a new account ' },
      { text: '(Ctrl+R)', color: theme.dim },
    ]);
  }
  body.push([]);
  if (u.register && !u.busy) {
    body.push([{ text: `   A password has at least ${PASSWORD_MIN_LENGTH} characters; type it twice.`, color: theme.dim }]);
  }
  // A refusal that says when to try again shows one countdown, not the server's frozen number too.
  const counting = !u.localError && state.loginRetryAt !== null;
  const rawError = u.localError ?? (u.busy ? null : state.loginError);
  const error = rawError && counting ? rawError.replace(/(?:[;.]? *[Tt]ry again in| for) \d+ s\.?$/, '.') : rawError;
  if (u.busy) {
    body.push([{ text: ` ${u.register ? 'Creating the account' : 'Logging in'}…`, color: connectionColor.connecting }]);
  } else if (error) {
    // "✗ " then the text; wrapped lines start under the text, not under the mark.
    wrapLine(sanitizeInline(error), inner - 4).forEach((line, i) =>
      body.push([{ text: (i === 0 ? ' ✗ ' : '   ') + line, color: theme.error, bold: true }]),
    );
    if (counting && state.loginRetryAt !== null) {
      const left = secondsLeft(state.loginRetryAt, now);
      body.push([
        { text: left > 0 ? `   You can try again in ${left} s.` : '   You can try again now.', color: left > 0 ? theme.notice : theme.dim },
      ]);
    }
  } else if (state.connection === 'reconnecting' || state.connection === 'connecting') {
    const what = state.connectionDetail ? sanitizeInline(state.connectionDetail) : state.connection;
    body.push([{ text: ` ${what}…`, color: theme.notice }]);
  } else {
    body.push([]);
  }
  body.push([]);
  const hint = `Enter: next / ${u.register ? 'sign up' : 'log in'} · Tab, ↑↓: fields · Ctrl+C: quit`;
  for (const line of wrapLine(hint, inner - 2)) {
    body.push([{ text: ' ' + line, color: theme.dim }]);
  }
  const height = Math.min(rows - 1, body.length + 2);
  const top = Math.max(0, Math.floor((rows - 1 - height) / 3));
  const lines: React.ReactElement[] = [];
  for (let i = 0; i < top; i++) lines.push(<RowText key={`t${i}`} row={fitRow([], columns)} />);
  return (
    <Box flexDirection="column" width={columns} height={rows - 1}>
      {lines}
      <Box width={columns} justifyContent="center">
        <Pane title="tui-chat" width={width} height={height} focused rows={body} />
      </Box>
    </Box>
  );
}
