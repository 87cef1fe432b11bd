/** /back: no longer away. */
import { setAway } from '../away.js';
import { noArgs } from './args.js';
import type { Command } from './command.js';

export const back: Command = {
  name: 'back',
  aliases: [],
  usage: '/back',
  summary: 'no longer away',
  async run(ctx, args) {
    if (!noArgs(ctx, back, args)) return;
    if (ctx.store.get().away[ctx.me()] === undefined) return ctx.respond('info', 'You are not away.');
    await setAway(ctx, null);
  },
};
