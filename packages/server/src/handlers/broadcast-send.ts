/**
 * A broadcast to everyone online. Stored before the acknowledgement, for the sender and for each
 * user online to receive it (so it is in their `(broadcasts)` after a new login); those offline
 * never see it, as in the old program.
 */
import { userRoom } from '../context.js';
import { checkText, type Handler } from './request.js';

export const broadcastSend: Handler<'broadcast:send'> = async ({ ctx, socket, user, payload, afterAck }) => {
  const bad = checkText(payload.text);
  if (bad) return bad;
  // Should presence be out of reach (a cluster's Redis away), those with a session on this node
  // surely get it: refusing would hold up the sender's other messages, which queue behind it.
  const everyone = await ctx.presence.online().catch((err: unknown) => {
    ctx.log.warn({ err: (err as Error).message }, "presence out of reach for a broadcast; counting this node's users");
    return ctx.presence.local();
  });
  const online = everyone.filter((u) => u !== user);
  const blockers = await ctx.store.blockersOf(user, online);
  const recipients = online.filter((u) => !blockers.includes(u));
  const { message, duplicate } = await ctx.store.appendBroadcast(
    { from: user, text: payload.text, at: Date.now(), clientId: payload.clientId },
    recipients,
  );
  afterAck(() => {
    // Everyone but this socket (the sender's other sessions see it too) and those who block the sender.
    // A resend goes out again: a first answer may have been lost with its deliveries; clients merge by id.
    ctx.io.except([socket.id, ...blockers.map(userRoom)]).emit('broadcast:new', message);
  });
  return { ok: true, recipients, message, duplicate };
};
