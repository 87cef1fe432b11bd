/** A new group with its creator and the named users in it; refused whole when anyone cannot be added. */
import { fail, GROUPS_PER_USER_MAX, GROUP_MEMBERS_MAX } from '@tui-chat/protocol';
import { announce, checkGroupName, groupFull, joinProblem } from './group-checks.js';
import { checkName, type Handler } from './request.js';

export const groupCreate: Handler<'group:create'> = async ({ ctx, user, payload, afterAck }) => {
  const name = checkGroupName(payload.name);
  if ('ok' in name) return name;
  const members: string[] = [];
  for (const raw of payload.members) {
    const checked = checkName(raw);
    if ('ok' in checked) return checked;
    if (checked.name !== user && !members.includes(checked.name)) members.push(checked.name);
  }
  if (members.length + 1 > GROUP_MEMBERS_MAX) return groupFull(name.group, members.length + 1);
  const known = await ctx.store.existingUsers(members);
  const unknown = members.filter((n) => !known.includes(n));
  if (unknown.length > 0) {
    return fail('unknown_user', `No such user${unknown.length > 1 ? 's' : ''}: ${unknown.join(', ')}. No group was made.`, {
      names: unknown,
    });
  }
  if ((await ctx.store.groupsOf(user)).length >= GROUPS_PER_USER_MAX) {
    return fail('too_many_groups', `You are in ${GROUPS_PER_USER_MAX} groups, the most one can be in; leave one first.`);
  }
  for (const member of members) {
    const problem = await joinProblem(ctx, member, user);
    if (problem) return fail(problem.error.code, `${problem.error.message} No group was made.`, { names: [member] });
  }
  const at = Date.now();
  if (!(await ctx.store.createGroup(name.group, user, members, at))) {
    return fail('name_taken', `The group name ${name.group} is taken (names are never reused); choose another.`);
  }
  const group = { group: name.group, members: [user, ...members].sort(), createdBy: user, createdAt: at };
  afterAck(() => announce(ctx, { group, change: 'created', user, by: user }, group.members));
  return { ok: true, group };
};
