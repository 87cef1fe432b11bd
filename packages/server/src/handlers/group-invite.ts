/** A member adds someone to a group; they start with its history and nothing unread. */
import { announce, checkMember, groupFull, joinProblem } from './group-checks.js';
import { GROUP_MEMBERS_MAX } from '@tui-chat/protocol';
import { checkOtherUser, type Handler } from './request.js';

export const groupInvite: Handler<'group:invite'> = async ({ ctx, user, payload, afterAck }) => {
  const member = await checkMember(ctx, payload.group, user);
  if ('ok' in member) return member;
  const { info } = member;
  const invited = await checkOtherUser(ctx, payload.user, user, `You are in ${info.group} already.`);
  if ('ok' in invited) return invited;
  if (info.members.includes(invited.name)) return { ok: true, group: info, changed: false };
  if (info.members.length >= GROUP_MEMBERS_MAX) return groupFull(info.group, info.members.length + 1);
  const problem = await joinProblem(ctx, invited.name, user);
  if (problem) return problem;
  const changed = await ctx.store.addGroupMember(info.group, invited.name, Date.now());
  const group = { ...info, members: [...new Set([...info.members, invited.name])].sort() };
  if (changed) afterAck(() => announce(ctx, { group, change: 'joined', user: invited.name, by: user }, [invited.name]));
  return { ok: true, group, changed };
};
