/**
 * 'typing:send': the person is writing in a conversation, or stopped. Relayed at once to the
 * other members' sessions (every node, through the adapter), never the sender's, never stored,
 * never across a block in either direction: a user who blocked you does not see you typing, and
 * you do not tell someone you blocked. The receiver lets it expire by itself (TYPING_EXPIRY_MS).
 */
import { fail } from '@tui-chat/protocol';
import { userRoom } from '../context.js';
import { conversationOthers } from './conversation-others.js';
import type { Handler } from './request.js';

export const typingSend: Handler<'typing:send'> = async ({ ctx, user, payload, afterAck }) => {
  const wait = ctx.limits.typing(user);
  if (wait > 0) return fail('rate_limited', `Too many typing notices; wait ${wait} s.`, { retryAfter: wait });
  const found = await conversationOthers(ctx, payload.conversation, user);
  if ('ok' in found) return found;
  const blocked = await Promise.all(
    found.others.map(async (other) => (await ctx.blocks.blocks(other, user)) || (await ctx.blocks.blocks(user, other))),
  );
  const to = found.others.filter((_, i) => !blocked[i]).map(userRoom);
  // The same answer either way: the sender does not learn who blocked them from it.
  if (to.length > 0) {
    const update = { conversation: payload.conversation, user, active: payload.active };
    afterAck(() => void ctx.io.to(to).emit('typing:update', update));
  }
  return { ok: true };
};
