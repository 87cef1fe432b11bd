/** 'presence:changes': who came online or went offline (batched by the server). */
import type { ClientContext } from '../context.js';
import { withOnline } from '../conversations.js';
import { notePresence } from '../sync.js';

export function onPresenceChanges(ctx: ClientContext, update: { changes: { user: string; online: boolean }[] }): void {
  for (const c of update.changes) notePresence(ctx, c.user, c.online);
  ctx.update((s) => {
    const online = new Set(s.online);
    for (const c of update.changes) {
      if (c.online) online.add(c.user);
      else online.delete(c.user);
    }
    return withOnline(s, [...online]);
  });
}
