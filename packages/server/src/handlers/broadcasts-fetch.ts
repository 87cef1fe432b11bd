/** One page of this user's broadcasts to everyone (sent, or received while online), newest last; `before` pages further back. */
import { HISTORY_PAGE_DEFAULT, HISTORY_PAGE_MAX } from '@tui-chat/protocol';
import { newestWithin } from './page-bytes.js';
import type { Handler } from './request.js';

export const broadcastsFetch: Handler<'broadcasts:fetch'> = async ({ ctx, user, payload, charge }) => {
  const limit = Math.min(payload?.limit ?? HISTORY_PAGE_DEFAULT, HISTORY_PAGE_MAX);
  const fetched = await ctx.store.broadcastsFor(user, limit, payload?.before);
  // Bounded by bytes as sent too; a short page (nothing cut) reached the oldest kept for this user.
  const { items: messages, cut, bytes } = newestWithin(fetched);
  charge(bytes);
  return { ok: true, messages, before: cut || fetched.length === limit ? messages[0]!.id : null };
};
