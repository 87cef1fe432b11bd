/** 'broadcast:new': a broadcast to everyone online, shown in the broadcasts pseudo-conversation. */
import type { BroadcastMessage } from '@tui-chat/protocol';
import type { ClientContext } from '../context.js';
import { addMessages, upsertView } from '../conversations.js';
import { fromBroadcast } from '../messages.js';
import { BROADCASTS } from '../types.js';

export function onBroadcastNew(ctx: ClientContext, message: BroadcastMessage): void {
  const me = ctx.me();
  const shown = fromBroadcast(message, me);
  const state = ctx.store.get();
  const known = (state.messages[BROADCASTS] ?? []).some((m) => m.key === shown.key);
  const isOpen = state.screen === 'chat' && state.openConversation === BROADCASTS;
  const counts = !known && !isOpen && message.from !== me;
  ctx.update((s) =>
    upsertView(addMessages(s, BROADCASTS, [shown]), BROADCASTS, (v) => ({
      lastAt: Math.max(v.lastAt ?? 0, message.at),
      unread: counts ? v.unread + 1 : v.unread,
    })),
  );
}
