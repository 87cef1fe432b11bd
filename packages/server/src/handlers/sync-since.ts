/**
 * The catch-up after a reconnect. The client lists, per conversation it holds, the highest seq it
 * has with nothing missing below; the answer carries the messages after that (a page at most, then
 * `more`), and every other conversation of the user with its summary (new to that client).
 */
import {
  fail,
  groupNameProblem,
  isGroup,
  nameProblem,
  SYNC_PAGE_DEFAULT,
  SYNC_PAGE_MAX,
  REPLY_PAGE_MAX_BYTES,
  type ChatMessage,
  type SyncedConversation,
} from '@tui-chat/protocol';
import { pairRoom } from '../context.js';
import { oldestWithin, shortLast } from './page-bytes.js';
import type { Handler } from './request.js';

/** True when `id` is the conversation id of `user` and another valid user name, or a group's (its members are checked below). */
function isConversationOf(id: string, user: string): boolean {
  if (isGroup(id)) return groupNameProblem(id) === null;
  const [a, b, ...rest] = id.split(':');
  if (rest.length > 0 || a === undefined || b === undefined || !(a < b)) return false;
  if (nameProblem(a) !== null || nameProblem(b) !== null) return false;
  return a === user || b === user;
}

export const syncSince: Handler<'sync:since'> = async ({ ctx, socket, user, payload, charge }) => {
  const seen = new Map<string, number>();
  for (const [id, seq] of Object.entries(payload.seen)) {
    if (!isConversationOf(id, user)) {
      return fail('bad_request', `${JSON.stringify(id.slice(0, 80))} is not one of your conversations; list ids such as "${user}:bob".`);
    }
    seen.set(id, seq);
  }
  let budget = Math.min(payload.limit ?? SYNC_PAGE_DEFAULT, SYNC_PAGE_MAX);
  let bytes = 0;

  // Most recent activity first, so the conversations in use fill the page first.
  const summaries = (await ctx.store.conversationsOf(user)).map(shortLast).sort((x, y) => (y.last?.id ?? 0) - (x.last?.id ?? 0));
  // A room join sent through Redis may have been lost (a new conversation started on another node
  // while it was out of reach): the catch-up puts this session in every room of its conversations.
  for (const s of summaries) socket.join(pairRoom(s.conversation));
  const online = await ctx.presence.onlineAmong(summaries.map((s) => s.with));
  const conversations: SyncedConversation[] = [];
  // A listed group the user is not in (any more) is not among the summaries, so it gets nothing.
  for (const summary of summaries) {
    const base = { ...summary, online: online.has(summary.with) };
    const after = seen.get(summary.conversation);
    if (after === undefined) {
      conversations.push({ ...base, listed: false, messages: [], more: false });
      continue;
    }
    let messages: ChatMessage[] = [];
    if (after < summary.lastSeq && budget > 0 && bytes < REPLY_PAGE_MAX_BYTES) {
      // Bounded by bytes as sent (the whole answer's), with at least one message so every call moves on.
      const room = REPLY_PAGE_MAX_BYTES - bytes;
      const page = oldestWithin(await ctx.store.messagesAfter(summary.conversation, after, budget, room), room);
      messages = page.items;
      bytes += page.bytes;
      budget -= messages.length;
    }
    const through = messages.at(-1)?.seq ?? after;
    conversations.push({ ...base, listed: true, messages, more: through < summary.lastSeq });
  }
  charge(bytes);
  return { ok: true, conversations, more: conversations.some((c) => c.more) };
};
