/** One page of a conversation, newest last; `before` pages further back. */
import { HISTORY_PAGE_DEFAULT, HISTORY_PAGE_MAX, REPLY_PAGE_MAX_BYTES } from '@tui-chat/protocol';
import { checkConversation } from './group-checks.js';
import { newestWithin } from './page-bytes.js';
import type { Handler } from './request.js';

export const history: Handler<'history:fetch'> = async ({ ctx, user, payload, charge }) => {
  const other = await checkConversation(ctx, payload.with, user, 'There is no conversation with yourself.');
  if ('ok' in other) return other;
  const limit = Math.min(payload.limit ?? HISTORY_PAGE_DEFAULT, HISTORY_PAGE_MAX);
  // Bounded by bytes as sent too: the newest that fit, and the page before them comes next.
  const page = newestWithin(await ctx.store.history(other.conversation, limit, payload.before, REPLY_PAGE_MAX_BYTES));
  charge(page.bytes);
  const messages = page.items;
  const first = messages[0];
  return { ok: true, with: other.with, messages, before: first && first.seq > 1 ? first.seq : null };
};
