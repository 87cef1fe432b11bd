/**
 * 'message:new': a stored message of one of this user's conversations (from either side). With
 * nothing open, a message from someone else opens its conversation; elsewhere it counts as unread
 * and is recorded for the preview line.
 */
import { conversationWith, type ChatMessage } from '@tui-chat/protocol';
import { mentions, withArrival } from '../arrivals.js';
import type { ClientContext } from '../context.js';
import { upsertView } from '../conversations.js';
import { watchForGap } from '../gaps.js';
import { markRead, addChatMessages } from '../sync.js';
import { withoutTyping } from '../typing.js';

export function onMessageNew(ctx: ClientContext, message: ChatMessage): void {
  const me = ctx.me();
  const other = conversationWith(message, me);
  const state = ctx.store.get();
  // One pass over what is held (up to thousands of messages, on every arrival).
  let known = false;
  let heldHighest = 0;
  for (const m of state.messages[other] ?? []) {
    if (m.seq === undefined) continue;
    if (m.seq === message.seq) known = true;
    if (m.seq > heldHighest) heldHighest = m.seq;
  }
  // A window away from the newest (a search hit's, window.ts) leaves it out: it is beyond the window, not missing.
  const window = state.newer[other] !== undefined;
  if (!window) watchForGap(ctx, other, heldHighest, message.seq);
  const fromOther = message.from !== me;
  const chat = state.screen === 'chat';
  const fresh = !known && message.seq > ctx.reads.readSeq(other);
  const opens = chat && fromOther && fresh && state.openConversation === null;
  // Open at a window, it is not on screen: it counts as unread and shows in the preview line.
  const isOpen = chat && (opens || (state.openConversation === other && !window));
  // A conversation opened for this message counts it until open() below marks it read, so that
  // open() fetches a page reaching back to the first unread message.
  const counts = fresh && fromOther && (!isOpen || opens);
  const afterSeq = ctx.reads.readSeq(other);
  ctx.reads.seen(other, message.seq);
  ctx.update((s) => {
    // Their message is here: they are not typing it any more.
    let next = withoutTyping(addChatMessages(s, me, [message]), other, message.from);
    if (counts) next = upsertView(next, other, (v) => ({ unread: v.unread + 1 }));
    if (opens) next = { ...next, openConversation: other, newMarker: { conversation: other, afterSeq } };
    if (fromOther && fresh) {
      next = withArrival(next, {
        conversation: other,
        from: message.from,
        text: message.text,
        at: message.at,
        kind: message.kind,
        inOpen: isOpen,
        opened: opens,
        mention: mentions(message.text, me),
      });
    }
    return next;
  });
  // The conversation opened for this message: marked read and its latest page fetched, as if opened by hand.
  if (opens) void ctx.open(other);
  else if (isOpen && fromOther) markRead(ctx, other);
}
