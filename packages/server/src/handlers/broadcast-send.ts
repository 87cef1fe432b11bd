/** A broadcast to everyone online. Not stored: offline users never see it, as in the old program. */
import { userRoom } from '../context.js';
import { checkText, type Handler } from './request.js';

export const broadcastSend: Handler<'broadcast:send'> = async ({ ctx, socket, user, payload, afterAck }) => {
  const bad = checkText(payload.text);
  if (bad) return bad;
  const online = (await ctx.presence.online()).filter((u) => u !== user);
  const blockers = await ctx.store.blockersOf(user, online);
  const recipients = online.filter((u) => !blockers.includes(u));
  const message = { from: user, text: payload.text, at: Date.now(), clientId: payload.clientId };
  afterAck(() => {
    // Everyone but this socket (the sender's other sessions see it too) and those who block the sender.
    ctx.io.except([socket.id, ...blockers.map(userRoom)]).emit('broadcast:new', message);
  });
  return { ok: true, recipients };
};
