/** The other users online now. */
import type { Handler } from './request.js';

export const whoelse: Handler<'presence:whoelse'> = async ({ ctx, user }) => ({
  ok: true,
  users: (await ctx.presence.online()).filter((u) => u !== user),
});
