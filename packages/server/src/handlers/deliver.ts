/** Delivery of a stored message to its conversation's room: every session of both users (or of a group's members) but the sender's. */
import type { ChatMessage } from '@tui-chat/protocol';
import { pairRoom, userRoom, type ChatSocket, type ServerContext } from '../context.js';

/**
 * Called for resends (duplicates) too: the first try may have been stored by a node that died
 * before it reached the room. Clients merge by seq, so nobody sees a message twice.
 */
export function deliverStored(ctx: ServerContext, socket: ChatSocket, message: ChatMessage): void {
  const room = pairRoom(message.conversation);
  // A new conversation: put both users' sessions in its room before the first delivery.
  // (A group's room is joined as members join it.)
  if (message.seq === 1 && !message.to.startsWith('#')) {
    ctx.io.in(userRoom(message.from)).socketsJoin(room);
    ctx.io.in(userRoom(message.to)).socketsJoin(room);
  }
  socket.to(room).emit('message:new', message);
}
