/** /quit: ends the session and closes the client; state.quitRequested tells the UI to exit. */
import { noArgs } from './args.js';
import type { Command } from './command.js';

export const quit: Command = {
  name: 'quit',
  aliases: ['exit'],
  usage: '/quit',
  beforeLogin: true,
  ui: 'quit',
  summary: 'log out and leave tui-chat',
  async run(ctx, args) {
    if (!noArgs(ctx, quit, args)) return;
    await ctx.quit();
  },
};
