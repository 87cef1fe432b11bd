/** /unblock <user>: accept that user's messages again. */
import { ask } from '../ask.js';
import { allWords, usage, userArg } from './args.js';
import type { Command } from './command.js';
import { blockList } from './blocks.js';

export const unblock: Command = {
  name: 'unblock',
  aliases: [],
  usage: '/unblock <user>',
  summary: "accept a blocked user's messages again",
  argAt: (index) => (index === 0 ? { users: true } : undefined),
  async run(ctx, args) {
    const words = allWords(args);
    if (words.length !== 1) return usage(ctx, unblock);
    const name = userArg(ctx, unblock, words[0]!);
    if (name === null) return;
    if (name === ctx.me()) return usage(ctx, unblock, 'You cannot unblock yourself.');
    const reply = await ask(ctx, 'block:remove', { user: name });
    if (!reply) return;
    ctx.respond('info', `${reply.changed ? `unblocked ${name}` : `you were not blocking ${name}`}; ${blockList(reply.blocked)}`);
  },
};
