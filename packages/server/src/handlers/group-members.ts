/** A group's members, and which of them are online now. */
import { checkMember } from './group-checks.js';
import type { Handler } from './request.js';

export const groupMembers: Handler<'group:members'> = async ({ ctx, user, payload }) => {
  const member = await checkMember(ctx, payload.group, user);
  if ('ok' in member) return member;
  const online = await ctx.presence.onlineAmong(member.info.members);
  return { ok: true, group: member.info, online: member.info.members.filter((m) => online.has(m)) };
};
