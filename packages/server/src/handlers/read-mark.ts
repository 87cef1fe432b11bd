/** Moves this user's read marker in a conversation; every session of the user hears of it. */
import { conversationId } from '@tui-chat/protocol';
import { userRoom } from '../context.js';
import { checkOtherUser, type Handler } from './request.js';

export const readMark: Handler<'read:mark'> = async ({ ctx, user, payload, afterAck }) => {
  const other = await checkOtherUser(ctx, payload.with, user, 'There is no conversation with yourself.');
  if ('ok' in other) return other;
  const conversation = conversationId(user, other.name);
  const readSeq = await ctx.store.markRead(user, conversation, payload.seq);
  const unread = await ctx.store.unreadIn(user, conversation);
  afterAck(() => {
    ctx.io.to(userRoom(user)).emit('read:update', { with: other.name, readSeq, unread });
  });
  return { ok: true, readSeq };
};
