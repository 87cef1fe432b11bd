/**
 * Ends this session: its token stops working, and every connection using it (on any node) is
 * told and closed after the reply.
 */
import { tokenRoom } from '../context.js';
import type { Handler } from './request.js';

export const logout: Handler<'session:logout'> = async ({ ctx, socket, afterAck }) => {
  await ctx.store.deleteSession(socket.data.tokenHash);
  afterAck(() => {
    const room = tokenRoom(socket.data.tokenHash);
    ctx.io.to(room).emit('notice', { code: 'logged_out', message: 'Logged out.' });
    ctx.io.in(room).disconnectSockets(true);
  });
  return { ok: true };
};
