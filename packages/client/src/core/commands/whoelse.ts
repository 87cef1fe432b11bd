/** /whoelse: the other users online now. */
import { ask } from '../ask.js';
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
    ctx.update((s) => withOnline({ ...s, presenceKnown: true }, reply.users));
    ctx.respond('info', reply.users.length > 0 ? `online: ${names(reply.users)}` : 'nobody else is online');
  },
};
