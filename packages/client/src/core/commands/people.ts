/**
 * /people [start of a name] (also /users, /names): the server's users by name, those online marked
 * ●, a page at a time; every name seen here completes with Tab.
 */
import { ask } from '../ask.js';
import { addKnownUsers } from '../conversations.js';
import { awayLabel } from '../away.js';
import { allWords, quote, usage } from './args.js';
import type { Command } from './command.js';

/** Names shown by one /people (the server's default page). */
const SHOWN = 100;

export const people: Command = {
  name: 'people',
  aliases: ['users', 'names'],
  usage: '/people [start of a name]',
  summary: 'list the users of the server (● online), or those whose name starts with what you give',
  argAt: (index) => (index === 0 ? { users: true } : undefined),
  async run(ctx, args) {
    const words = allWords(args);
    if (words.length > 1) return usage(ctx, people);
    const prefix = (words[0] ?? '').toLowerCase();
    if (!/^[a-z0-9_.-]{0,32}$/.test(prefix)) {
      return usage(ctx, people, `No name starts with ${quote(words[0]!)}: names are a-z, 0-9, _ . and -.`);
    }
    const reply = await ask(ctx, 'users:list', { prefix, limit: SHOWN });
    if (!reply) return;
    const me = ctx.me();
    ctx.update((s) =>
      addKnownUsers(
        s,
        reply.users.map((u) => u.name),
      ),
    );
    const which = prefix ? `whose name starts with ${quote(prefix)}` : 'on this server';
    if (reply.users.length === 0) return ctx.respond('info', `nobody ${which}`);
    const online = reply.users.filter((u) => u.online).length;
    const shown = reply.users
      .map(
        (u) => `${u.online ? '● ' : ''}${u.name}${u.name === me ? ' (you)' : ''}${u.away !== undefined ? ` (${awayLabel(u.away)})` : ''}`,
      )
      .join(', ');
    const count = reply.more ? `the first ${reply.users.length}` : `${reply.users.length}`;
    const more = reply.more ? ` … more: /people <start of a name>` : '';
    ctx.respond('info', `people ${which} (${count}, ${online} of them online ●): ${shown}${more}`);
  },
};
