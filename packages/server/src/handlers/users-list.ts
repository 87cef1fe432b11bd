/**
 * The server's users by name, a page at a time (a large server is never sent whole), with whether
 * each is online (and away): the client's people list and name completion.
 */
import { fail, NAME_PATTERN, USERS_PAGE_DEFAULT, USERS_PAGE_MAX } from '@tui-chat/protocol';
import type { Handler } from './request.js';

/** A prefix or `after` is a name or the start of one: lower-case a-z 0-9 _ . - (empty: none). */
const PARTIAL_NAME = /^[a-z0-9_.-]{0,32}$/;

export const usersList: Handler<'users:list'> = async ({ ctx, payload }) => {
  const prefix = (payload?.prefix ?? '').toLowerCase();
  const after = payload?.after ?? '';
  if (!PARTIAL_NAME.test(prefix))
    return fail('invalid_name', `No name starts with ${JSON.stringify(prefix.slice(0, 40))}: names are a-z, 0-9, _ . and -.`);
  if (after !== '' && !NAME_PATTERN.test(after)) return fail('bad_request', '`after` must be a name from the previous page.');
  const limit = Math.min(payload?.limit ?? USERS_PAGE_DEFAULT, USERS_PAGE_MAX);
  // One more than asked says whether another page follows.
  const names = await ctx.store.userNames(prefix, after, limit + 1);
  const page = names.slice(0, limit);
  const online = await ctx.presence.onlineAmong(page);
  const away = await ctx.away.among([...online]);
  const users = page.map((name) => {
    const text = away.get(name);
    return text === undefined ? { name, online: online.has(name) } : { name, online: online.has(name), away: text };
  });
  return { ok: true, users, more: names.length > limit };
};
