/**
 * What the login screen's pane holds, row by row: the server asked, the fields, the two boxes,
 * and the line under them (busy, the failure with its countdown, connecting). Pure, so the screen
 * (LoginScreen.tsx) only keeps the form's state and maps keys to it.
 */
import { PASSWORD_MIN_LENGTH } from '@tui-chat/protocol';
import type { ClientState, ServerCheck } from '../core/types.js';
import { connectionColor, theme } from './colors.js';
import { secondsLeft } from './countdown.js';
import type * as ed from './input-editor.js';
import { inputRow } from './InputLine.js';
import { sanitizeInline } from './sanitize.js';
import type { Row } from './segments.js';
import { graphemes, wrapLine } from './text-layout.js';

export type Field = 'name' | 'password' | 'confirm' | 'register' | 'remember';

/** The form as the screen holds it. */
export interface LoginUi {
  name: ed.EditorState;
  password: ed.EditorState;
  confirm: ed.EditorState;
  register: boolean;
  remember: boolean;
  field: Field;
  busy: boolean;
  localError: string | null;
}

/** Under the title: nothing while the server answers; a line while it is asked; why nothing answers, and when it is asked again. */
function serverRows(check: ServerCheck | undefined, server: string, now: number, inner: number): Row[] {
  if (check?.state === 'checking') return [[{ text: '   asking the server…', color: theme.dim }]];
  if (check?.state !== 'silent') return [[]];
  const left = secondsLeft(check.retryAt, now);
  const text = `Nothing answers at ${sanitizeInline(server)} (${sanitizeInline(check.problem)}); ${left > 0 ? `asking again in ${left} s` : 'asking again…'}`;
  return wrapLine(text, inner - 4).map((line, i) => [{ text: (i === 0 ? ' ✗ ' : '   ') + line, color: theme.error }]);
}

/**
 * The pane's rows for `inner` cells: `now` for the countdowns, `canRegister` whether the server
 * takes new accounts.
 */
export function loginRows(u: LoginUi, state: ClientState, now: number, inner: number, canRegister: boolean): Row[] {
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
  body.push(...serverRows(state.serverCheck, state.server, now, inner));
  body.push(fieldRow('Name', 'name', u.name, false));
  body.push(fieldRow('Password', 'password', u.password, true));
  if (u.register) body.push(fieldRow('Repeat password', 'confirm', u.confirm, true));
  const checkbox = (field: Field, checked: boolean, label: string, key: string): Row => {
    const focused = u.field === field && !u.busy;
    return [
      { text: focused ? ' ▸ ' : '   ', color: theme.focusBorder, bold: true },
      { text: checked ? '[x]' : '[ ]', bold: focused, inverse: focused },
      { text: ` ${label} ` },
      { text: `(${key})`, color: theme.dim },
    ];
  };
  if (canRegister) body.push(checkbox('register', u.register, 'Create a new account', 'Ctrl+R'));
  body.push(checkbox('remember', u.remember, 'Remember this device', 'Ctrl+T'));
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
  return body;
}
