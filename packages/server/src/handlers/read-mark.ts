/** Moves this user's read marker in a conversation; every session of the user hears of it. */
import { userRoom } from '../context.js';
import { checkConversation } from './group-checks.js';
import type { Handler } from './request.js';

export const readMark: Handler<'read:mark'> = async ({ ctx, user, payload, afterAck }) => {
  const other = await checkConversation(ctx, payload.with, user, 'There is no conversation with yourself.');
  if ('ok' in other) return other;
  const { conversation } = other;
  const readSeq = await ctx.store.markRead(user, conversation, payload.seq);
  const unread = await ctx.store.unreadIn(user, conversation);
  afterAck(() => {
    ctx.io.to(userRoom(user)).emit('read:update', { with: other.with, readSeq, unread });
  });
  return { ok: true, readSeq };
};
