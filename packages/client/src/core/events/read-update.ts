/** 'read:update': this user's read marker moved (here, in another session, or by /inbox). */
import type { ClientContext } from '../context.js';
import { findView, upsertView } from '../conversations.js';
import { lowestSeq } from '../messages.js';

export function onReadUpdate(ctx: ClientContext, update: { with: string; readSeq: number }): void {
  const name = update.with;
  ctx.reads.read(name, update.readSeq);
  const state = ctx.store.get();
  if (!findView(state, name)) return;
  const readSeq = ctx.reads.readSeq(name);
  if (readSeq >= ctx.reads.lastSeq(name)) {
    ctx.update((s) => upsertView(s, name, () => ({ unread: 0 })));
    return;
  }
  // Read part of the way: count what is left when every message after the marker is loaded.
  const list = state.messages[name] ?? [];
  const lowest = lowestSeq(list);
  if (lowest !== null && lowest <= readSeq + 1) {
    const me = ctx.me();
    const unread = list.filter((m) => m.seq !== undefined && m.seq > readSeq && m.from !== me).length;
    ctx.update((s) => upsertView(s, name, () => ({ unread })));
  } else {
    ctx.refreshConversations();
  }
}
