/**
 * The catch-up after a reconnect: what this client holds of each conversation, 'sync:since' for
 * what it missed while disconnected, then who is online and what opens. Apart from sync.ts (the
 * loads at login and the read markers), which it builds on.
 */
import { conversationOf, conversationWith, SYNC_CONVERSATIONS_MAX } from '@tui-chat/protocol';
import { quietly } from './ask.js';
import type { ClientContext } from './context.js';
import { addChatMessages, applySummaries, loadOnline, markRead } from './sync.js';
import { BROADCASTS, type ClientState, type DisplayMessage } from './types.js';

/**
 * What this client holds of each conversation, for 'sync:since': the highest seq with nothing
 * missing between it and the oldest message held. A message that arrived live just before the
 * connection dropped again must not hide the ones before it that were never fetched.
 */
export function seenSeqs(state: ClientState): Map<string, number> {
  const seen = new Map<string, number>();
  for (const [name, list] of Object.entries(state.messages)) {
    // A window away from the newest fills as it is scrolled, not by catching up from its top.
    if (name === BROADCASTS || state.newer[name] !== undefined) continue;
    const through = contiguousSeq(list);
    if (through !== null) seen.set(name, through);
  }
  return seen;
}

/** The highest seq reached from the lowest one held without a gap; null when none is confirmed. */
export function contiguousSeq(list: readonly DisplayMessage[]): number | null {
  const seqs = list.flatMap((m) => (m.seq === undefined ? [] : [m.seq])).sort((x, y) => x - y);
  if (seqs.length === 0) return null;
  let through = seqs[0]!;
  for (const seq of seqs) {
    if (seq > through + 1) break;
    through = Math.max(through, seq);
  }
  return through;
}

/** Rounds of 'sync:since' one catch-up makes at most (each carries up to a page of messages). */
const SYNC_ROUNDS_MAX = 100;

/**
 * The catch-up after a reconnect: 'sync:since' with what this client holds; adds the messages it
 * missed (merged by key and seq, so nothing shows twice), and the conversations it did not know
 * with their unread counts. Asks again while the server says there is more. Resolves false when
 * an answer did not come (the next reconnect tries again).
 */
export async function syncSince(ctx: ClientContext, seen: Map<string, number>): Promise<boolean> {
  const me = ctx.me();
  const left = new Map(seen);
  for (let round = 0; round < SYNC_ROUNDS_MAX; round++) {
    const batch = [...left].slice(0, SYNC_CONVERSATIONS_MAX);
    const reply = await quietly(ctx, 'sync:since', {
      seen: Object.fromEntries(batch.map(([name, seq]) => [conversationOf(me, name), seq])),
    });
    if (!reply) return false;
    for (const [name] of batch) left.delete(name);
    const messages = reply.conversations.flatMap((c) => c.messages);
    for (const m of messages) ctx.reads.seen(conversationWith(m, me), m.seq);
    if (messages.length > 0) ctx.update((s) => addChatMessages(s, me, messages));
    applySummaries(ctx, reply.conversations);
    const asked = new Map(batch);
    for (const c of reply.conversations) {
      if (c.listed && c.more) left.set(c.with, Math.max(c.messages.at(-1)?.seq ?? 0, asked.get(c.with) ?? 0));
    }
    if (left.size === 0) return true;
  }
  return true;
}

/** After a reconnect: what was missed in every conversation, the new conversations, who is online. */
export async function resync(ctx: ClientContext): Promise<void> {
  // Taken before anything else can arrive on the new connection.
  const before = ctx.store.get();
  const seen = seenSeqs(before);
  await Promise.all([syncSince(ctx, seen), loadOnline(ctx)]);
  const after = ctx.store.get();
  const open = after.openConversation;
  if (open) markRead(ctx, open);
  else if (after.screen === 'chat') {
    // Nothing open: what came while the connection was down opens as a live arrival would.
    const unreadBefore = new Map(before.conversations.map((v) => [v.with, v.unread]));
    const gained = after.conversations
      .filter((v) => v.with !== BROADCASTS && v.unread > (unreadBefore.get(v.with) ?? 0))
      .sort((a, b) => (b.lastAt ?? 0) - (a.lastAt ?? 0));
    if (gained[0]) await ctx.open(gained[0].with);
  }
}
