/** One page of a conversation, newest last; `before` pages further back. */
import { conversationId, HISTORY_PAGE_DEFAULT, HISTORY_PAGE_MAX } from '@tui-chat/protocol';
import { checkOtherUser, type Handler } from './request.js';

export const history: Handler<'history:fetch'> = async ({ ctx, user, payload }) => {
  const other = await checkOtherUser(ctx, payload.with, user, 'There is no conversation with yourself.');
  if ('ok' in other) return other;
  const limit = Math.min(payload.limit ?? HISTORY_PAGE_DEFAULT, HISTORY_PAGE_MAX);
  const messages = await ctx.store.history(conversationId(user, other.name), limit, payload.before);
  const first = messages[0];
  return { ok: true, with: other.name, messages, before: first && first.seq > 1 ? first.seq : null };
};
