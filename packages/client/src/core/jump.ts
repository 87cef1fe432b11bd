/**
 * Showing one message where it stands (Enter on a search hit): its conversation opens with the
 * messages around it loaded, and state.hit tells the messages pane which one to bring into view
 * and mark. When those messages meet what is held of the newest, they join it; otherwise they are
 * held as a window away from the newest (window.ts), which fills as the view is scrolled down.
 * Nothing is marked read: the hit is on screen, not the newest messages.
 */
import type { ClientContext } from './context.js';
import { upsertView } from './conversations.js';
import { fromChatMessage, lowestSeq } from './messages.js';
import { withPaging } from './older.js';
import { markerFor } from './open-conversation.js';
import { addChatMessages } from './sync.js';
import { fetchRange, isWindow, withNewer } from './window.js';

/** Messages loaded on each side of the hit. */
export const HIT_CONTEXT = 25;

/** `stillWanted` is false once another open started, so a slow answer never switches the view back. */
export async function showMessage(ctx: ClientContext, name: string, seq: number, stillWanted: () => boolean): Promise<void> {
  if (ctx.store.get().screen !== 'chat') return;
  const say = (problem: string) => ctx.respond('error', problem);
  const range = await fetchRange(ctx, name, Math.max(1, seq - HIT_CONTEXT), seq + HIT_CONTEXT + 1, say);
  if (!range || !stillWanted()) return;
  if (!range.messages.some((m) => m.seq === seq)) {
    say(`That message is no longer in ${name}.`);
    return;
  }
  for (const m of range.messages) ctx.reads.seen(name, m.seq);
  const me = ctx.me();
  const top = range.messages.at(-1)!.seq;
  ctx.update((s) => {
    const held = s.messages[name] ?? [];
    const lowest = lowestSeq(held);
    // Nothing lies between these messages and the newest held (or these reach the newest): one list.
    const joins = range.newest || (lowest !== null && !isWindow(s, name) && lowest <= top + 1);
    let next = joins
      ? withNewer(addChatMessages(s, me, range.messages), name, null)
      : withNewer(
          {
            ...s,
            messages: { ...s.messages, [name]: range.messages.map((m) => fromChatMessage(m, me)) },
          },
          name,
          'more',
        );
    if (range.start) next = withPaging(next, name, 'start');
    else if (!joins) next = withPaging(next, name, null);
    next = upsertView(next, name);
    const marker = next.openConversation === name ? next.newMarker : markerFor(ctx, next, name);
    return { ...next, openConversation: name, newMarker: marker, hit: { conversation: name, seq } };
  });
}
