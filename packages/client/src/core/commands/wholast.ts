/** /wholast <minutes>: who was online at any moment of the last N minutes (online now included). */
import { WHOLAST_MAX_MINUTES, WHOLAST_MIN_MINUTES } from '@tui-chat/protocol';
import { ask } from '../ask.js';
import { addKnownUsers } from '../conversations.js';
import { names, plural } from '../format.js';
import { allWords, quote, usage } from './args.js';
import type { Command } from './command.js';

export const wholast: Command = {
  name: 'wholast',
  aliases: [],
  usage: '/wholast <minutes>',
  summary: `list who was online in the last N minutes (${WHOLAST_MIN_MINUTES} to ${WHOLAST_MAX_MINUTES})`,
  async run(ctx, args) {
    const words = allWords(args);
    if (words.length !== 1) return usage(ctx, wholast);
    const raw = words[0]!;
    const n = /^\d{1,7}$/.test(raw) ? Number(raw) : NaN;
    if (!(n >= WHOLAST_MIN_MINUTES && n <= WHOLAST_MAX_MINUTES)) {
      return usage(
        ctx,
        wholast,
        `Minutes must be a whole number from ${WHOLAST_MIN_MINUTES} to ${WHOLAST_MAX_MINUTES}, not ${quote(raw)}.`,
      );
    }
    const reply = await ask(ctx, 'presence:wholast', { minutes: n });
    if (!reply) return;
    ctx.update((s) => addKnownUsers(s, reply.users));
    const period = `the last ${plural(reply.minutes, 'minute')}`;
    ctx.respond('info', reply.users.length > 0 ? `online in ${period}: ${names(reply.users)}` : `nobody else was online in ${period}`);
  },
};
