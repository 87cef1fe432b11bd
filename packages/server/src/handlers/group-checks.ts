/** The checks every group request shares, and the conversation a `with` names (a user or a group). */
import {
  conversationId,
  fail,
  groupKey,
  groupNameProblem,
  isGroup,
  GROUP_MEMBERS_MAX,
  GROUPS_PER_USER_MAX,
  type ChatError,
  type GroupInfo,
  type GroupUpdate,
} from '@tui-chat/protocol';
import { pairRoom, userRoom, type ServerContext } from '../context.js';
import { checkOtherUser } from './request.js';

type Failure = { ok: false; error: ChatError };

/** A valid group name as stored (`#name`), or the failure to send back. */
export function checkGroupName(raw: string): { group: string } | Failure {
  const problem = groupNameProblem(raw);
  if (problem) return fail('invalid_name', `${JSON.stringify(raw.slice(0, 40))} is not a group name: ${problem}`);
  return { group: groupKey(raw) };
}

/** The group, when it exists and `user` is in it; else the failure to send back. */
export async function checkMember(ctx: ServerContext, raw: string, user: string): Promise<{ info: GroupInfo } | Failure> {
  const name = checkGroupName(raw);
  if ('ok' in name) return name;
  const info = await ctx.store.getGroup(name.group);
  if (!info) return fail('unknown_group', `There is no group named ${name.group}.`);
  if (!info.members.includes(user)) return fail('not_member', `You are not a member of ${name.group}; a member can /group invite you.`);
  return { info };
}

/**
 * The conversation `raw` names for `user`: a group they are in (`#name`), or a pair with another
 * user. `with` is what replies and events call it.
 */
export async function checkConversation(
  ctx: ServerContext,
  raw: string,
  user: string,
  selfMessage: string,
): Promise<{ with: string; conversation: string } | Failure> {
  if (isGroup(raw.trim())) {
    const member = await checkMember(ctx, raw, user);
    if ('ok' in member) return member;
    return { with: member.info.group, conversation: member.info.group };
  }
  const other = await checkOtherUser(ctx, raw, user, selfMessage);
  if ('ok' in other) return other;
  return { with: other.name, conversation: conversationId(user, other.name) };
}

/**
 * Why `joining` may not be put in a group by `by`, or null: blocks either way (an invitation is a
 * message of sorts, and nobody is put beside someone they keep away), or too many groups.
 */
export async function joinProblem(ctx: ServerContext, joining: string, by: string): Promise<Failure | null> {
  if (await ctx.blocks.blocks(joining, by)) return fail('blocked', `${joining} does not accept messages from you, so you cannot add them.`);
  if (await ctx.blocks.blocks(by, joining)) return fail('blocked', `You block ${joining}; unblock them first to add them.`);
  if ((await ctx.store.groupsOf(joining)).length >= GROUPS_PER_USER_MAX) {
    return fail('too_many_groups', `${joining} is in ${GROUPS_PER_USER_MAX} groups, the most one can be in.`);
  }
  return null;
}

export function groupFull(group: string, count: number): Failure {
  return fail('group_full', `A group holds at most ${GROUP_MEMBERS_MAX} members; ${group} would have ${count}.`);
}

/** Puts these users' sessions (on every node) in the group's room, then tells the room what changed. */
export function announce(ctx: ServerContext, update: GroupUpdate, joined: string[] = []): void {
  const room = pairRoom(update.group.group);
  for (const user of joined) ctx.io.in(userRoom(user)).socketsJoin(room);
  ctx.io.to(room).emit('group:update', update);
}
