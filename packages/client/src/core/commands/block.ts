/** /block <user>: refuse that user's messages and broadcasts. */
import { ask } from '../ask.js';
import { addKnownUsers } from '../conversations.js';
import { allWords, usage, userArg } from './args.js';
import type { Command } from './command.js';
import { blockList } from './blocks.js';

export const block: Command = {
  name: 'block',
  aliases: [],
  usage: '/block <user>',
  summary: "refuse a user's messages; they are told you do not accept them",
  argAt: (index) => (index === 0 ? { users: true } : undefined),
  async run(ctx, args) {
    const words = allWords(args);
    if (words.length !== 1) return usage(ctx, block);
    const name = userArg(ctx, block, words[0]!);
    if (name === null) return;
    if (name === ctx.me()) return usage(ctx, block, 'You cannot block yourself.');
    const reply = await ask(ctx, 'block:add', { user: name });
    if (!reply) return;
    ctx.update((s) => addKnownUsers(s, reply.blocked));
    ctx.respond('info', `${reply.changed ? `blocked ${name}` : `you block ${name} already`}; ${blockList(reply.blocked)}`);
  },
};
