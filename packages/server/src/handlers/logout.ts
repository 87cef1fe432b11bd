/** Ends this session: its token stops working and the connection closes after the reply. */
import type { Handler } from './request.js';

export const logout: Handler<'session:logout'> = async ({ ctx, socket, afterAck }) => {
  await ctx.store.deleteSession(socket.data.tokenHash);
  afterAck(() => {
    socket.emit('notice', { code: 'logged_out', message: 'Logged out.' });
    socket.disconnect(true);
  });
  return { ok: true };
};
