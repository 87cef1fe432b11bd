/** One page of a conversation, newest last; `before` pages further back. */
import { conversationId, HISTORY_PAGE_DEFAULT, HISTORY_PAGE_MAX, REPLY_PAGE_MAX_BYTES } from '@tui-chat/protocol';
import { newestWithin } from './page-bytes.js';
import { checkOtherUser, type Handler } from './request.js';

export const history: Handler<'history:fetch'> = async ({ ctx, user, payload, charge }) => {
  const other = await checkOtherUser(ctx, payload.with, user, 'There is no conversation with yourself.');
  if ('ok' in other) return other;
  const limit = Math.min(payload.limit ?? HISTORY_PAGE_DEFAULT, HISTORY_PAGE_MAX);
  // Bounded by bytes as sent too: the newest that fit, and the page before them comes next.
  const page = newestWithin(await ctx.store.history(conversationId(user, other.name), limit, payload.before, REPLY_PAGE_MAX_BYTES));
  charge(page.bytes);
  const messages = page.items;
  const first = messages[0];
  return { ok: true, with: other.name, messages, before: first && first.seq > 1 ? first.seq : null };
};
