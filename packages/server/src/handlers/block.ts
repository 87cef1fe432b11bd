/** block / unblock / the block list. A blocked user's messages are refused with a clear reply. */
import type { Handler } from './request.js';
import { checkOtherUser } from './request.js';

export const blockAdd: Handler<'block:add'> = async ({ ctx, user, payload }) => {
  const target = await checkOtherUser(ctx, payload.user, user, 'You cannot block yourself.');
  if ('ok' in target) return target;
  const already = (await ctx.store.blockedBy(user)).includes(target.name);
  if (!already) {
    await ctx.store.block(user, target.name, Date.now());
    ctx.blocks.changed(user);
  }
  return { ok: true, blocked: await ctx.store.blockedBy(user), changed: !already };
};

export const blockRemove: Handler<'block:remove'> = async ({ ctx, user, payload }) => {
  const target = await checkOtherUser(ctx, payload.user, user, 'You cannot unblock yourself.');
  if ('ok' in target) return target;
  const changed = await ctx.store.unblock(user, target.name);
  if (changed) ctx.blocks.changed(user);
  return { ok: true, blocked: await ctx.store.blockedBy(user), changed };
};

export const blockList: Handler<'block:list'> = async ({ ctx, user }) => ({
  ok: true,
  blocked: await ctx.store.blockedBy(user),
});
