/**
 * The people list's pages (F6): the server's users by name, a page at a time (users:list), for the
 * prefix typed into the list's filter. An answer for a prefix no longer asked for is dropped.
 */
import { USERS_PAGE_DEFAULT, type ReplyOf } from '@tui-chat/protocol';
import type { ClientContext } from './context.js';
import { addKnownUsers } from './conversations.js';
import type { PeoplePages } from './types.js';

export async function listPeople(ctx: ClientContext, prefix: string, next = false): Promise<void> {
  const held = ctx.store.get().people;
  const more = next && held !== null && held.prefix === prefix;
  if (more && (!held.more || held.loading)) return;
  const after = more ? (held.users.at(-1)?.name ?? '') : '';
  const serial = ++ctx.session.peopleSerial;
  const loading: PeoplePages = more ? { ...held, loading: true } : { prefix, users: [], more: false, loading: true, error: null };
  ctx.update((s) => ({ ...s, people: loading }));
  let reply: ReplyOf<'users:list'>;
  try {
    reply = await ctx.request('users:list', { prefix, ...(after ? { after } : {}), limit: USERS_PAGE_DEFAULT });
  } catch (err) {
    reply = { ok: false, error: { code: 'internal', message: (err as Error).message } };
  }
  if (serial !== ctx.session.peopleSerial) return;
  ctx.update((s) => {
    const base = s.people ?? loading;
    if (!reply.ok) return { ...s, people: { ...base, loading: false, error: reply.error.message } };
    const users = [...(more ? base.users : []), ...reply.users];
    return addKnownUsers(
      { ...s, people: { prefix, users, more: reply.more, loading: false, error: null } },
      users.map((u) => u.name),
    );
  });
}
