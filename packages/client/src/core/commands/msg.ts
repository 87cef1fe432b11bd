/**
 * /msg <user> <text> (also /send, /message): a private message. The open conversation does not
 * change (as in WeeChat); the message shows in that user's conversation and the responses pane
 * says whether it was delivered or waits in their inbox.
 */
import { sendDirect } from '../send.js';
import { takeWords, textProblem, usage, userArg } from './args.js';
import type { Command } from './command.js';

export const msg: Command = {
  name: 'msg',
  aliases: ['send', 'message'],
  usage: '/msg <user> <text>',
  summary: 'send a private message without switching the open conversation',
  argAt: (index) => (index === 0 ? { users: true } : undefined),
  async run(ctx, args) {
    const { words, rest } = takeWords(args, 1);
    const [rawUser] = words;
    if (!rawUser || rest.length === 0) return usage(ctx, msg);
    const to = userArg(ctx, msg, rawUser);
    if (to === null) return;
    if (to === ctx.me()) return usage(ctx, msg, 'That is you; message someone else.');
    const problem = textProblem(rest);
    if (problem) return usage(ctx, msg, problem);
    await sendDirect(ctx, to, rest, true);
  },
};
