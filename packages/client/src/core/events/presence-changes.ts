/** 'presence:changes': who came online or went offline, or away or back (batched by the server). */
import type { PresenceChange } from '@tui-chat/protocol';
import { withAwayChanges } from '../away.js';
import type { ClientContext } from '../context.js';
import { withOnline } from '../conversations.js';
import { notePresence } from '../sync.js';
import { withoutTypingOf } from '../typing.js';

export function onPresenceChanges(ctx: ClientContext, update: { changes: PresenceChange[] }): void {
  for (const c of update.changes) notePresence(ctx, c.user, c.online);
  ctx.update((s) => {
    const online = new Set(s.online);
    for (const c of update.changes) {
      if (c.online) online.add(c.user);
      else online.delete(c.user);
    }
    let next = withAwayChanges(withOnline(s, [...online]), update.changes);
    // Gone offline: not writing anything any more.
    for (const c of update.changes) if (!c.online) next = withoutTypingOf(next, c.user);
    return next;
  });
}
