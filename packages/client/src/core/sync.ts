/**
 * Keeping the local picture in step with the server: the conversation list, who is online, what
 * was missed while disconnected, and read markers.
 */
import type { ChatMessage } from '@tui-chat/protocol';
import { quietly } from './ask.js';
import type { ClientContext } from './context.js';
import { addKnownUsers, addMessages, findView, upsertView, withOnline, withViews } from './conversations.js';
import { fromChatMessage, highestSeq } from './messages.js';
import { BROADCASTS, type ClientState } from './types.js';

/** Loads 'conversations:list': unread counts, online flags, newest activity. */
export async function loadConversations(ctx: ClientContext): Promise<void> {
  const reply = await quietly(ctx, 'conversations:list', {});
  if (!reply) return;
  const open = ctx.store.get().openConversation;
  for (const c of reply.conversations) {
    ctx.reads.seen(c.with, c.lastSeq);
    ctx.reads.read(c.with, c.readSeq);
  }
  ctx.update((s) => {
    const listed = new Map(reply.conversations.map((c) => [c.with, c]));
    const views = s.conversations.filter((v) => !listed.has(v.with));
    for (const c of reply.conversations) {
      const old = findView(s, c.with);
      views.push({
        with: c.with,
        unread: c.with === open ? 0 : c.unread,
        online: c.online,
        lastAt: Math.max(old?.lastAt ?? 0, c.last?.at ?? 0) || null,
      });
    }
    return addKnownUsers(withViews(s, views), [...listed.keys()]);
  });
  if (open && open !== BROADCASTS) markRead(ctx, open);
}

/** Loads 'presence:whoelse' into state.online. */
export async function loadOnline(ctx: ClientContext): Promise<void> {
  const reply = await quietly(ctx, 'presence:whoelse', {});
  if (reply) ctx.update((s) => withOnline(s, reply.users));
}

/** Adds stored messages to their conversations (the other party's name is the key). */
export function addChatMessages(state: ClientState, me: string, messages: readonly ChatMessage[]): ClientState {
  const byOther = new Map<string, ChatMessage[]>();
  for (const m of messages) {
    const other = m.from === me ? m.to : m.from;
    byOther.set(other, [...(byOther.get(other) ?? []), m]);
  }
  let next = state;
  for (const [other, list] of byOther) {
    next = addMessages(next, other, list.map((m) => fromChatMessage(m, me)));
    const newest = Math.max(...list.map((m) => m.at));
    next = upsertView(next, other, (v) => ({ lastAt: Math.max(v.lastAt ?? 0, newest) }));
  }
  return next;
}

/**
 * Fetches what a loaded conversation missed: pages backwards from the newest until they reach the
 * newest message already held (at most `maxPages` pages).
 */
export async function catchUp(ctx: ClientContext, name: string, maxPages = 20): Promise<void> {
  const known = highestSeq(ctx.store.get().messages[name]);
  if (known > 0 && ctx.reads.lastSeq(name) <= known) return;
  let before: number | undefined;
  for (let page = 0; page < maxPages; page++) {
    const reply = await quietly(ctx, 'history:fetch', before === undefined ? { with: name } : { with: name, before });
    if (!reply) return;
    for (const m of reply.messages) ctx.reads.seen(name, m.seq);
    ctx.update((s) => addChatMessages(s, ctx.me(), reply.messages));
    const first = reply.messages[0];
    if (reply.before === null || !first || first.seq <= known + 1 || known === 0) return;
    before = reply.before;
  }
}

/**
 * Marks a conversation read up to its newest loaded message: unread 0 here, 'read:mark' to the
 * server (every session of this user hears of it) when the marker moves.
 */
export function markRead(ctx: ClientContext, name: string): void {
  ctx.update((s) => (findView(s, name)?.unread ? upsertView(s, name, () => ({ unread: 0 })) : s));
  if (name === BROADCASTS) return;
  const seq = highestSeq(ctx.store.get().messages[name]);
  if (seq <= ctx.reads.readSeq(name)) return;
  ctx.reads.read(name, seq);
  void quietly(ctx, 'read:mark', { with: name, seq });
}

/** After a reconnect: the list, who is online, and every loaded conversation's missed messages. */
export async function resync(ctx: ClientContext): Promise<void> {
  await Promise.all([loadConversations(ctx), loadOnline(ctx)]);
  const loaded = Object.keys(ctx.store.get().messages).filter((k) => k !== BROADCASTS);
  await Promise.all(loaded.map((name) => catchUp(ctx, name)));
  const open = ctx.store.get().openConversation;
  if (open) markRead(ctx, open);
}
