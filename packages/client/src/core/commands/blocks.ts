/** /blocks: the users you block. */
import { ask } from '../ask.js';
import { names } from '../format.js';
import { noArgs } from './args.js';
import type { Command } from './command.js';

/** "you block: bob, carol" or "you block nobody". */
export function blockList(blocked: readonly string[]): string {
  return blocked.length > 0 ? `you block: ${names(blocked)}` : 'you block nobody';
}

export const blocks: Command = {
  name: 'blocks',
  aliases: [],
  usage: '/blocks',
  summary: 'list the users you block',
  async run(ctx, args) {
    if (!noArgs(ctx, blocks, args)) return;
    const reply = await ask(ctx, 'block:list', {});
    if (reply) ctx.respond('info', blockList(reply.blocked));
  },
};
