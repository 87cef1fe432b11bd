/**
 * Keeping the local picture in step with the server: the conversation list, who is online, read
 * markers; the catch-up after a reconnect builds on these (catch-up.ts).
 */
import { conversationWith, USERS_PAGE_MAX, type ChatMessage, type ConversationSummary } from '@tui-chat/protocol';
import { mentions, withWaiting } from './arrivals.js';
import { withAwayOf } from './away.js';
import { quietly } from './ask.js';
import type { ClientContext } from './context.js';
import { addKnownUsers, addMessages, findView, upsertView, withOnline, withViews } from './conversations.js';
import { fromBroadcast, fromChatMessage, highestSeq } from './messages.js';
import { BROADCASTS, type ClientState } from './types.js';

/** Loads 'conversations:list': unread counts, online flags, newest activity. */
export async function loadConversations(ctx: ClientContext): Promise<void> {
  const reply = await quietly(ctx, 'conversations:list', {});
  if (!reply) return;
  applySummaries(ctx, reply.conversations);
  const open = ctx.store.get().openConversation;
  if (open && open !== BROADCASTS) markRead(ctx, open);
}

/**
 * Puts the server's summaries into the conversation list. Messages held here that are newer than
 * a summary (they arrived while its answer was on the way) still count as unread.
 */
export function applySummaries(ctx: ClientContext, summaries: readonly ConversationSummary[]): void {
  if (summaries.length === 0) return;
  const open = ctx.store.get().openConversation;
  for (const c of summaries) {
    ctx.reads.seen(c.with, c.lastSeq);
    ctx.reads.read(c.with, c.readSeq);
  }
  const me = ctx.me();
  ctx.update((s) => {
    const listed = new Map(summaries.map((c) => [c.with, c]));
    const views = s.conversations.filter((v) => !listed.has(v.with));
    for (const c of summaries) {
      const old = findView(s, c.with);
      const readSeq = ctx.reads.readSeq(c.with);
      const newer = (s.messages[c.with] ?? []).filter(
        (m) => m.seq !== undefined && m.seq > c.lastSeq && m.seq > readSeq && m.from !== me,
      ).length;
      views.push({
        with: c.with,
        // The open conversation is read, unless it is a window away from its newest (window.ts).
        unread: c.with === open && s.newer[c.with] === undefined ? 0 : c.unread + newer,
        online: c.online,
        lastAt: Math.max(old?.lastAt ?? 0, c.last?.at ?? 0) || null,
      });
    }
    const waiting = summaries.flatMap((c) =>
      c.unread > 0 && c.last && c.last.from !== me && (c.with !== open || s.newer[c.with] !== undefined)
        ? [
            {
              conversation: c.with,
              from: c.last.from,
              text: c.last.text,
              at: c.last.at,
              kind: c.last.kind,
              inOpen: false,
              opened: false,
              mention: mentions(c.last.text, me),
            },
          ]
        : [],
    );
    return withWaiting(addKnownUsers(withViews(s, views), [...listed.keys()]), waiting);
  });
}

/**
 * Loads the newest page of this user's broadcasts to everyone (kept by the server for those who
 * were online to get them, and for the sender) into the broadcasts list; they count as read.
 */
export async function loadBroadcasts(ctx: ClientContext): Promise<void> {
  const reply = await quietly(ctx, 'broadcasts:fetch', {});
  if (!reply) return;
  const me = ctx.me();
  const newest = reply.messages.at(-1)?.at ?? 0;
  ctx.update((s) => {
    const next = upsertView(
      addMessages(
        s,
        BROADCASTS,
        reply.messages.map((b) => fromBroadcast(b, me)),
      ),
      BROADCASTS,
      (v) => ({
        lastAt: Math.max(v.lastAt ?? 0, newest) || null,
      }),
    );
    return reply.before === null ? { ...next, paging: { ...next.paging, [BROADCASTS]: 'start' } } : next;
  });
}

/** Loads 'presence:whoelse' into state.online. */
export async function loadOnline(ctx: ClientContext): Promise<void> {
  const session = ctx.session;
  const during = new Map<string, boolean>();
  session.presenceDuringWhoelse = during;
  try {
    const reply = await quietly(ctx, 'presence:whoelse', {});
    if (!reply) return;
    // The answer may be older than updates read while it was on its way: those win.
    const online = new Set(reply.users);
    for (const [user, isOnline] of during) {
      if (isOnline) online.add(user);
      else online.delete(user);
    }
    // Away as the answer says, less those gone offline meanwhile (their change said it).
    const away = (reply.away ?? []).filter((e) => online.has(e.user));
    ctx.update((s) => withAwayOf(withOnline({ ...s, presenceKnown: true }, [...online]), away));
  } finally {
    if (session.presenceDuringWhoelse === during) session.presenceDuringWhoelse = null;
  }
}

/** Called for every 'presence:changes', so a whoelse answer in flight cannot undo it. */
export function notePresence(ctx: ClientContext, user: string, online: boolean): void {
  ctx.session.presenceDuringWhoelse?.set(user, online);
}

/** Adds stored messages to their conversations (the other party's name, or the group's `#name`, is the key). */
export function addChatMessages(state: ClientState, me: string, messages: readonly ChatMessage[]): ClientState {
  const byOther = new Map<string, ChatMessage[]>();
  for (const m of messages) {
    const other = conversationWith(m, me);
    byOther.set(other, [...(byOther.get(other) ?? []), m]);
  }
  let next = state;
  for (const [other, list] of byOther) {
    next = addMessages(
      next,
      other,
      list.map((m) => fromChatMessage(m, me)),
    );
    const newest = Math.max(...list.map((m) => m.at));
    next = upsertView(next, other, (v) => ({ lastAt: Math.max(v.lastAt ?? 0, newest) }));
  }
  return next;
}

/**
 * Marks a conversation read up to its newest loaded message: unread 0 here, 'read:mark' to the
 * server (every session of this user hears of it) when the marker moves. Not a window away from
 * the newest (window.ts).
 */
export function markRead(ctx: ClientContext, name: string): void {
  // A window away from the newest (window.ts): the newest messages are not on screen.
  if (ctx.store.get().newer[name] !== undefined) return;
  ctx.update((s) => (findView(s, name)?.unread ? upsertView(s, name, () => ({ unread: 0 })) : s));
  if (name === BROADCASTS) return;
  const seq = highestSeq(ctx.store.get().messages[name]);
  if (seq <= ctx.reads.readSeq(name)) return;
  ctx.reads.read(name, seq);
  void quietly(ctx, 'read:mark', { with: name, seq });
}

/** Reloads the conversation list; asked again while a reload is out, once more after it. */
export function refreshConversations(ctx: ClientContext): void {
  const session = ctx.session;
  if (session.refreshing) {
    session.refreshAgain = true;
    return;
  }
  session.refreshing = loadConversations(ctx).finally(() => {
    session.refreshing = null;
    if (session.refreshAgain && session.alive) {
      session.refreshAgain = false;
      refreshConversations(ctx);
    }
  });
}

/** The first page of the server's users, so Tab completes them at once (a large server: name-lookup.ts asks for the rest by prefix). */
export async function loadPeople(ctx: ClientContext): Promise<void> {
  const reply = await quietly(ctx, 'users:list', { limit: USERS_PAGE_MAX });
  if (reply)
    ctx.session.names.firstPage(
      reply.users.map((u) => u.name),
      reply.more,
    );
  if (reply)
    ctx.update((s) =>
      addKnownUsers(
        s,
        reply.users.map((u) => u.name),
      ),
    );
}
