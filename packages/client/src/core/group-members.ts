/**
 * The members of this user's groups as last heard (state.groupMembers), for the group's header:
 * from 'group:update' (made, joined, left), /group members, and opening a group not held yet.
 */
import { isGroup } from '@tui-chat/protocol';
import { quietly } from './ask.js';
import type { ClientContext } from './context.js';
import type { ClientState } from './types.js';

/** The members of `group` are these now (null: this user is not in it any more). */
export function withGroupMembers(state: ClientState, group: string, members: readonly string[] | null): ClientState {
  const held = { ...state.groupMembers };
  if (members === null) delete held[group];
  else held[group] = [...members];
  return { ...state, groupMembers: held };
}

/** Asks for the members of `name` when it is a group whose members are not held (an open after login). */
export async function loadGroupMembers(ctx: ClientContext, name: string): Promise<void> {
  if (!isGroup(name) || ctx.store.get().groupMembers?.[name]) return;
  const reply = await quietly(ctx, 'group:members', { group: name });
  if (reply) ctx.update((s) => withGroupMembers(s, name, reply.group.members));
}
