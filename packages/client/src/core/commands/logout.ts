/** /logout: ends this session on the server and returns to the login screen. */
import { noArgs } from './args.js';
import type { Command } from './command.js';

export const logout: Command = {
  name: 'logout',
  aliases: [],
  usage: '/logout',
  summary: 'end this session and return to the login screen',
  async run(ctx, args) {
    if (!noArgs(ctx, logout, args)) return;
    await ctx.logout();
  },
};
