/** The other users online now, and which of them are away. */
import type { Handler } from './request.js';

export const whoelse: Handler<'presence:whoelse'> = async ({ ctx, user }) => {
  const users = (await ctx.presence.online()).filter((u) => u !== user);
  const away = await ctx.away.among(users);
  return { ok: true, users, away: [...away].map(([u, text]) => ({ user: u, text })) };
};
