/**
 * 'broadcast:new': a broadcast to everyone online. It goes to the broadcasts list; with a pair
 * conversation open it also shows there, inline; with nothing open the broadcasts open.
 */
import type { BroadcastMessage } from '@tui-chat/protocol';
import { mentions, withArrival } from '../arrivals.js';
import type { ClientContext } from '../context.js';
import { addMessages, upsertView } from '../conversations.js';
import { fromBroadcast, inlineBroadcast } from '../messages.js';
import { BROADCASTS } from '../types.js';

export function onBroadcastNew(ctx: ClientContext, message: BroadcastMessage): void {
  const me = ctx.me();
  const shown = fromBroadcast(message, me);
  const state = ctx.store.get();
  const known = (state.messages[BROADCASTS] ?? []).some((m) => m.key === shown.key);
  const fromOther = message.from !== me;
  const chat = state.screen === 'chat';
  const opens = chat && fromOther && !known && state.openConversation === null;
  const open = opens ? BROADCASTS : state.openConversation;
  const isOpen = chat && open === BROADCASTS;
  const inline = chat && !known && open !== null && open !== BROADCASTS;
  // Shown inline, it was on screen as it came: it does not count as unread either.
  const counts = !known && !isOpen && !inline && fromOther;
  ctx.update((s) => {
    let next = upsertView(addMessages(s, BROADCASTS, [shown]), BROADCASTS, (v) => ({
      lastAt: Math.max(v.lastAt ?? 0, message.at),
      unread: counts ? v.unread + 1 : v.unread,
    }));
    if (opens) next = { ...next, openConversation: BROADCASTS, newMarker: { conversation: BROADCASTS, afterSeq: message.id - 1 } };
    if (inline) next = addMessages(next, open, [inlineBroadcast(shown)]);
    if (fromOther && !known) {
      next = withArrival(next, {
        conversation: BROADCASTS,
        from: message.from,
        text: message.text,
        at: message.at,
        kind: 'broadcast-all',
        inOpen: isOpen || inline,
        opened: opens,
        mention: mentions(message.text, me),
      });
    }
    return next;
  });
}
