/**
 * Unread private messages grouped by sender, then marked read (on every session of this user);
 * beside them the groups with something unread, by count (read by opening them, not here).
 */
import type { ChatMessage, InboxGroup } from '@tui-chat/protocol';
import { userRoom } from '../context.js';
import { oldestWithin } from './page-bytes.js';
import type { Handler } from './request.js';

const INBOX_LIMIT = 1000;

export const inbox: Handler<'inbox:fetch'> = async ({ ctx, user, afterAck, charge }) => {
  // The oldest that fit in a reply's bytes: only those are marked read; `more` says /inbox again.
  const [fetched, unreadGroups] = await Promise.all([ctx.store.unreadFor(user, INBOX_LIMIT), ctx.store.unreadGroupsOf(user)]);
  const { items: unread, cut, bytes } = oldestWithin(fetched);
  charge(bytes);
  const groups = new Map<string, ChatMessage[]>();
  const highest = new Map<string, { with: string; seq: number }>();
  for (const m of unread) {
    groups.set(m.from, [...(groups.get(m.from) ?? []), m]);
    highest.set(m.conversation, { with: m.from, seq: Math.max(m.seq, highest.get(m.conversation)?.seq ?? 0) });
  }
  const marked: { with: string; readSeq: number; unread: number }[] = [];
  for (const [conversation, h] of highest) {
    const readSeq = await ctx.store.markRead(user, conversation, h.seq);
    marked.push({ with: h.with, readSeq, unread: await ctx.store.unreadIn(user, conversation) });
  }
  afterAck(() => {
    for (const m of marked) ctx.io.to(userRoom(user)).emit('read:update', m);
  });
  const result: InboxGroup[] = [...groups].map(([from, messages]) => ({ from, messages }));
  return { ok: true, groups: result, total: unread.length, more: cut || fetched.length === INBOX_LIMIT, unreadGroups };
};
