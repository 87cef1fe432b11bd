/** One page of this user's broadcasts to everyone (sent, or received while online), newest last; `before` pages further back. */
import { HISTORY_PAGE_DEFAULT, HISTORY_PAGE_MAX } from '@tui-chat/protocol';
import type { Handler } from './request.js';

export const broadcastsFetch: Handler<'broadcasts:fetch'> = async ({ ctx, user, payload }) => {
  const limit = Math.min(payload?.limit ?? HISTORY_PAGE_DEFAULT, HISTORY_PAGE_MAX);
  const messages = await ctx.store.broadcastsFor(user, limit, payload?.before);
  // A short page reached the oldest broadcast kept for this user.
  return { ok: true, messages, before: messages.length === limit ? messages[0]!.id : null };
};
