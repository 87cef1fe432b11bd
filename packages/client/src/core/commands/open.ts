/** /open <user> | /open #group | /open (broadcasts): shows that conversation and marks it read. */
import { BROADCASTS } from '../types.js';
import { allWords, conversationArg, usage } from './args.js';
import type { Command } from './command.js';

export const open: Command = {
  name: 'open',
  aliases: ['query'], // IRC's habit
  usage: `/open <user>  |  /open #group  |  /open ${BROADCASTS}`,
  summary: 'show the conversation with a user, or a group (or the broadcasts to everyone)',
  argAt: (index) => (index === 0 ? { users: true, groups: true, broadcasts: true } : undefined),
  async run(ctx, args) {
    const words = allWords(args);
    if (words.length !== 1) return usage(ctx, open);
    const raw = words[0]!;
    if (raw === BROADCASTS || raw.toLowerCase() === 'broadcasts') return ctx.open(BROADCASTS);
    const name = conversationArg(ctx, open, raw);
    if (name === null) return;
    if (name === ctx.me()) return usage(ctx, open, 'There is no conversation with yourself.');
    await ctx.open(name);
  },
};
