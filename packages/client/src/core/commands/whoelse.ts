/** /whoelse: the other users online now, and what those away said. */
import { ask } from '../ask.js';
import { awayLabel, withAwayOf } from '../away.js';
import { withOnline } from '../conversations.js';
import { names } from '../format.js';
import { noArgs } from './args.js';
import type { Command } from './command.js';

export const whoelse: Command = {
  name: 'whoelse',
  aliases: [],
  usage: '/whoelse',
  summary: 'list the other users online now',
  async run(ctx, args) {
    if (!noArgs(ctx, whoelse, args)) return;
    const reply = await ask(ctx, 'presence:whoelse', {});
    if (!reply) return;
    ctx.update((s) => withAwayOf(withOnline({ ...s, presenceKnown: true }, reply.users), reply.away));
    const away = new Map((reply.away ?? []).map((e) => [e.user, e.text]));
    const shown = reply.users.map((u) => (away.has(u) ? `${u} (${awayLabel(away.get(u)!)})` : u));
    ctx.respond('info', reply.users.length > 0 ? `online: ${names(shown)}` : 'nobody else is online');
  },
};
