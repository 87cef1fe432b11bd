/**
 * A member leaves a group: their sessions leave its room and it goes from their list. The group
 * stays for the others; an empty group keeps its name (never reused, so nobody inherits its history).
 */
import { pairRoom, userRoom } from '../context.js';
import { announce, checkMember } from './group-checks.js';
import type { Handler } from './request.js';

export const groupLeave: Handler<'group:leave'> = async ({ ctx, user, payload, afterAck }) => {
  const member = await checkMember(ctx, payload.group, user);
  if ('ok' in member) return member;
  const { info } = member;
  await ctx.store.removeGroupMember(info.group, user);
  const group = { ...info, members: info.members.filter((m) => m !== user) };
  afterAck(() => {
    const update = { group, change: 'left' as const, user, by: user };
    // Every session of the one who left hears it (to drop the group), then the members.
    ctx.io.in(userRoom(user)).socketsLeave(pairRoom(group.group));
    ctx.io.to(userRoom(user)).emit('group:update', update);
    announce(ctx, update);
  });
  return { ok: true };
};
