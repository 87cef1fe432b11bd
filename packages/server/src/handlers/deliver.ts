/** Delivery of a stored private message to its pair room: every session of both users but the sender's. */
import type { ChatMessage } from '@tui-chat/protocol';
import { pairRoom, userRoom, type ChatSocket, type ServerContext } from '../context.js';

/**
 * Called for resends (duplicates) too: the first try may have been stored by a node that died
 * before it reached the room. Clients merge by seq, so nobody sees a message twice.
 */
export function deliverStored(ctx: ServerContext, socket: ChatSocket, message: ChatMessage): void {
  const room = pairRoom(message.conversation);
  // A new conversation: put both users' sessions in its room before the first delivery.
  if (message.seq === 1) {
    ctx.io.in(userRoom(message.from)).socketsJoin(room);
    ctx.io.in(userRoom(message.to)).socketsJoin(room);
  }
  socket.to(room).emit('message:new', message);
}
