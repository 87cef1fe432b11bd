/** One handler per server-to-client event, attached to each new socket. */
import type { ClientContext } from '../context.js';
import type { ClientSocket } from '../request.js';
import { onBroadcastNew } from './broadcast-new.js';
import { onGroupUpdate } from './group-update.js';
import { onMessageNew } from './message-new.js';
import { onNotice } from './notice.js';
import { onPresenceChanges } from './presence-changes.js';
import { onReadUpdate } from './read-update.js';
import { onSyncNeeded } from './sync-needed.js';
import { onTypingUpdate } from '../typing.js';

/** A handler that throws on a malformed event must not take the client down with it. */
function safe<T>(handler: (ctx: ClientContext, payload: T) => void, ctx: ClientContext): (payload: T) => void {
  return (payload) => {
    try {
      handler(ctx, payload);
    } catch {
      // Ignored: the server sent something this client cannot use.
    }
  };
}

export function attachEvents(socket: ClientSocket, ctx: ClientContext): void {
  socket.on('message:new', safe(onMessageNew, ctx));
  socket.on('broadcast:new', safe(onBroadcastNew, ctx));
  socket.on('presence:changes', safe(onPresenceChanges, ctx));
  socket.on('read:update', safe(onReadUpdate, ctx));
  socket.on('notice', safe(onNotice, ctx));
  socket.on('sync:needed', safe(onSyncNeeded, ctx));
  socket.on('group:update', safe(onGroupUpdate, ctx));
  socket.on('typing:update', safe(onTypingUpdate, ctx));
}
