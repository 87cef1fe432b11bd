/**
 * The login screen: name, hidden password, and (when the server allows it) creating an account,
 * with the last failure shown in place ("locked: try again in 42 s").
 */
import React, { useReducer, useRef } from 'react';
import { Box } from 'ink';
import { nameProblem, PASSWORD_MIN_LENGTH } from '@tui-chat/protocol';
import type { ClientActions, ClientState } from '../core/types.js';
import { secondsLeft, useCountdownClock } from './countdown.js';
import * as ed from './input-editor.js';
import { parseKey, type KeyEvent } from './keys.js';
import { actionFor } from './keymap.js';
import { LINE_EDITS } from './line-edits.js';
import { tooSmall } from './layout.js';
import { loginRows, type Field, type LoginUi } from './login-rows.js';
import { Pane, RowText } from './Pane.js';
import { useRedraw } from './use-redraw.js';
import { fitRow } from './segments.js';
import { TooSmall } from './TooSmall.js';
import { textEvents, useScreenKeys } from './use-keyboard.js';
import { useTerminalSize, type TerminalSize } from './use-terminal-size.js';

export { secondsLeft };

export interface LoginScreenProps {
  state: ClientState;
  actions: ClientActions;
  onQuit: () => void;
  /** Prefills the name (from --user). */
  initialUser?: string;
  /** Start in "create an account" mode (from --register). */
  initialRegister?: boolean;
  /** Start with "remember this device" ticked (from --remember). */
  initialRemember?: boolean;
  size?: TerminalSize;
}

function editorWith(value: string): ed.EditorState {
  return { ...ed.emptyEditor(), value, cursor: value.length };
}

export function LoginScreen(props: LoginScreenProps): React.ReactElement {
  const { state, actions, onQuit, initialUser, initialRegister, initialRemember, size } = props;
  const { columns, rows } = useTerminalSize(size);
  const check = state.serverCheck;
  const now = useCountdownClock(state.loginRetryAt ?? (check?.state === 'silent' ? check.retryAt : null));
  const ui = useRef<LoginUi>({
    name: editorWith(initialUser ?? ''),
    password: ed.emptyEditor(),
    confirm: ed.emptyEditor(),
    register: initialRegister === true,
    remember: initialRemember === true,
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
  const fields: Field[] = [
    'name',
    'password',
    ...(ui.current.register ? (['confirm'] as const) : []),
    ...(canRegister ? (['register'] as const) : []),
    'remember',
  ];

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
    latest.current.actions.login({ user: name, password: u.password.value, register: u.register, remember: u.remember }).then(
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
    if (key.name === 'paste' && /[\r\n]/.test(key.text)) {
      // Lines that came in one piece ("name⏎password" from a password manager typing, or a
      // paste): each line as if typed, each break as Enter, so nothing after the first is lost.
      for (const part of key.text.split(/(\r\n|\r|\n)/)) {
        if (/^[\r\n]/.test(part)) onKey(parseKey('\r'));
        else if (part !== '') for (const k of textEvents(part)) onKey(k); // Ctrl+R and the like as keys
      }
      return;
    }
    const toggleRegister = () => {
      if (latest.current.state.registrationOpen === false) return;
      set({ register: !u.register, localError: null, field: u.field === 'confirm' ? 'password' : u.field });
    };
    const at = fields.indexOf(u.field);
    const go = (delta: number) => set({ field: fields[(at + delta + fields.length) % fields.length] });
    switch (action) {
      case 'login.toggleRegister':
        return toggleRegister();
      case 'login.toggleRemember':
        return set({ remember: !u.remember });
      case 'login.nextField':
        return go(1);
      case 'login.previousField':
        return go(-1);
      default:
    }
    if (u.field === 'register' || u.field === 'remember') {
      const toggle = u.field === 'register' ? toggleRegister : () => set({ remember: !u.remember });
      if (action === 'login.next' || (key.name === 'text' && key.text === ' ')) return toggle();
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
    else if (key.name === 'paste') next = ed.insert(current, key.text);
    else if (edit) next = edit(current);
    if (next !== current) set({ [field]: next, localError: null } as Partial<LoginUi>);
  };

  useScreenKeys(onKey);

  if (tooSmall(columns, rows)) return <TooSmall columns={columns} rows={rows} />;

  const u = ui.current;
  const width = Math.min(64, columns - 2);
  const inner = width - 2;
  const body = loginRows(u, state, now, inner, canRegister);
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
