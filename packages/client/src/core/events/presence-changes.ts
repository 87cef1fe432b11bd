/** 'presence:update': someone came online or went offline. */
import type { ClientContext } from '../context.js';
import { withOnline } from '../conversations.js';
import { notePresence } from '../sync.js';

export function onPresenceUpdate(ctx: ClientContext, update: { user: string; online: boolean }): void {
  notePresence(ctx, update.user, update.online);
  ctx.update((s) =>
    withOnline(s, update.online ? [...s.online, update.user] : s.online.filter((u) => u !== update.user)),
  );
}
