/** /me <action>: IRC's action to the open conversation, shown as `* alice waves` (stored as typed). */
import type { Command } from './command.js';
import { usage } from './args.js';
import { sendText } from './text.js';

export const me: Command = {
  name: 'me',
  aliases: [],
  usage: '/me <action>',
  summary: 'say what you do, as `* alice waves`, in the open conversation',
  async run(ctx, args) {
    const action = args.trim();
    if (action === '') return usage(ctx, me);
    await sendText(ctx, `/me ${action}`);
  },
};
