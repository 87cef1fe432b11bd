/**
 * Away: yours (/away, /back) and everyone's (state.away), kept in step with the server's presence
 * changes, whoelse and the people list. Yours is sent again after a reconnect, because the server
 * ends away with a user's last session and a dropped connection may have been it.
 */
import type { AwayEntry, PresenceChange } from '@tui-chat/protocol';
import { ask, quietly } from './ask.js';
import type { ClientContext } from './context.js';
import type { ClientState } from './types.js';

/** `user` is away with `text`, or not (null). */
export function withAway(state: ClientState, user: string, text: string | null): ClientState {
  const held = state.away[user];
  if (held === (text ?? undefined)) return state;
  const away = { ...state.away };
  if (text === null) delete away[user];
  else away[user] = text;
  return { ...state, away };
}

/** Away as presence changes say it (a change without `away` leaves it, from a server before away; offline ends it). */
export function withAwayChanges(state: ClientState, changes: readonly PresenceChange[]): ClientState {
  let next = state;
  for (const c of changes) {
    if (!c.online) next = withAway(next, c.user, null);
    else if (c.away !== undefined) next = withAway(next, c.user, typeof c.away === 'string' ? c.away : null);
  }
  return next;
}

/** Everyone else's away as a whoelse answer says it (yours stays). */
export function withAwayOf(state: ClientState, entries: readonly AwayEntry[] | undefined): ClientState {
  const me = state.user;
  const away: Record<string, string> = {};
  if (me && state.away[me] !== undefined) away[me] = state.away[me];
  for (const e of entries ?? []) if (e.user !== me) away[e.user] = e.text;
  const same = Object.keys(away).length === Object.keys(state.away).length && Object.entries(away).every(([u, t]) => state.away[u] === t);
  return same ? state : { ...state, away };
}

/** "lunch" as shown after a name: `away: lunch`, or `away` alone. */
export function awayLabel(text: string): string {
  return text ? `away: ${text}` : 'away';
}

/** Away with `text` ('' for none), or back (null); says what happened in the responses pane. */
export async function setAway(ctx: ClientContext, text: string | null): Promise<void> {
  const reply = await ask(ctx, 'presence:away', text === null ? { away: false } : { away: true, text });
  if (!reply) return;
  const me = ctx.me();
  ctx.update((s) => withAway(s, me, reply.away));
  if (reply.away === null) ctx.respond('info', 'You are back.');
  else ctx.respond('info', `You are away${reply.away ? `: ${reply.away}` : ''}. /back (or /away) when you return.`);
}

/** After a reconnect: the server may have ended this user's away with the lost connection. */
export async function restoreAway(ctx: ClientContext): Promise<void> {
  const me = ctx.me();
  const text = ctx.store.get().away[me];
  if (text === undefined) return;
  await quietly(ctx, 'presence:away', { away: true, text });
}
