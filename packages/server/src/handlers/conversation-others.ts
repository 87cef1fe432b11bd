/**
 * The others of a conversation, named by the id messages carry, as seen by one of its members:
 * what events about a conversation (typing) are relayed to. A pair conversation's id is the two
 * names sorted and joined by ':'; another kind of conversation (groups) adds its branch here, and
 * its events keep the same shape.
 */
import { CONVERSATION_ID_PATTERN, conversationId, fail, isGroup, type ChatError } from '@tui-chat/protocol';
import type { ServerContext } from '../context.js';

export async function conversationOthers(
  ctx: ServerContext,
  conversation: string,
  user: string,
): Promise<{ others: string[] } | { ok: false; error: ChatError }> {
  const unknown = fail('bad_request', `${JSON.stringify(conversation.slice(0, 80))} is not one of your conversations.`);
  if (!CONVERSATION_ID_PATTERN.test(conversation)) return unknown;
  // A group (`#name`): its other members, when this user is one.
  if (isGroup(conversation)) {
    const group = await ctx.store.getGroup(conversation);
    if (!group?.members.includes(user)) return unknown;
    return { others: group.members.filter((m) => m !== user) };
  }
  const [a, b] = conversation.split(':') as [string, string];
  // The one spelling of a pair (sorted, two different names), with this user in it.
  if (a === b || conversationId(a, b) !== conversation || (a !== user && b !== user)) return unknown;
  const other = a === user ? b : a;
  if (!(await ctx.users.exists(other))) return fail('unknown_user', `There is no user named ${other}.`, { names: [other] });
  return { others: [other] };
}
