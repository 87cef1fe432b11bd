/** This user's conversations with unread counts and who is online, most recent first. */
import { shortLast } from './page-bytes.js';
import type { Handler } from './request.js';

export const conversations: Handler<'conversations:list'> = async ({ ctx, user }) => {
  const list = await ctx.store.conversationsOf(user);
  const online = await ctx.presence.onlineAmong(list.map((c) => c.with));
  return {
    ok: true,
    conversations: list.map((c) => ({ ...shortLast(c), online: online.has(c.with) })).sort((a, b) => (b.last?.id ?? 0) - (a.last?.id ?? 0)),
  };
};
