/** 'message:new': a stored message of one of this user's conversations (from either side). */
import type { ChatMessage } from '@tui-chat/protocol';
import type { ClientContext } from '../context.js';
import { upsertView } from '../conversations.js';
import { watchForGap } from '../gaps.js';
import { markRead, addChatMessages } from '../sync.js';

export function onMessageNew(ctx: ClientContext, message: ChatMessage): void {
  const me = ctx.me();
  const other = message.from === me ? message.to : message.from;
  const state = ctx.store.get();
  // One pass over what is held (up to thousands of messages, on every arrival).
  let known = false;
  let heldHighest = 0;
  for (const m of state.messages[other] ?? []) {
    if (m.seq === undefined) continue;
    if (m.seq === message.seq) known = true;
    if (m.seq > heldHighest) heldHighest = m.seq;
  }
  watchForGap(ctx, other, heldHighest, message.seq);
  const isOpen = state.screen === 'chat' && state.openConversation === other;
  const counts = !known && !isOpen && message.from !== me && message.seq > ctx.reads.readSeq(other);
  ctx.reads.seen(other, message.seq);
  ctx.update((s) => {
    const next = addChatMessages(s, me, [message]);
    return counts ? upsertView(next, other, (v) => ({ unread: v.unread + 1 })) : next;
  });
  if (isOpen && message.from !== me) markRead(ctx, other);
}
