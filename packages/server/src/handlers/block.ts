/** block / unblock / the block list. A blocked user's messages are refused with a clear reply. */
import type { Handler } from './request.js';
import { checkOtherUser } from './request.js';

export const blockAdd: Handler<'block:add'> = async ({ ctx, user, payload }) => {
  const target = await checkOtherUser(ctx, payload.user, user, 'You cannot block yourself.');
  if ('ok' in target) return target;
  await ctx.store.block(user, target.name, Date.now());
  ctx.blocks.changed(user);
  return { ok: true, blocked: await ctx.store.blockedBy(user) };
};

export const blockRemove: Handler<'block:remove'> = async ({ ctx, user, payload }) => {
  const target = await checkOtherUser(ctx, payload.user, user, 'You cannot unblock yourself.');
  if ('ok' in target) return target;
  await ctx.store.unblock(user, target.name);
  ctx.blocks.changed(user);
  return { ok: true, blocked: await ctx.store.blockedBy(user) };
};

export const blockList: Handler<'block:list'> = async ({ ctx, user }) => ({
  ok: true,
  blocked: await ctx.store.blockedBy(user),
});
