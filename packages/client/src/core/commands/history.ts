/**
 * /history [user]: one older page of the open (or named) conversation, put before what is shown.
 * Naming a conversation that is not open opens it (which shows its latest page).
 */
import { ask } from '../ask.js';
import { plural } from '../format.js';
import { lowestSeq } from '../messages.js';
import { addChatMessages } from '../sync.js';
import { BROADCASTS } from '../types.js';
import { allWords, conversationArg, usage } from './args.js';
import type { Command } from './command.js';

export const history: Command = {
  name: 'history',
  aliases: [],
  usage: '/history [user | #group]',
  summary: 'load older messages of the open conversation (or of the one named)',
  argAt: (index) => (index === 0 ? { users: true, groups: true } : undefined),
  async run(ctx, args) {
    const words = allWords(args);
    if (words.length > 1) return usage(ctx, history);
    let target = ctx.store.get().openConversation;
    if (words[0] !== undefined && words[0] !== BROADCASTS) {
      target = conversationArg(ctx, history, words[0]);
      if (target === null) return;
      if (target === ctx.me()) return usage(ctx, history, 'There is no conversation with yourself.');
    } else if (words[0] === BROADCASTS) {
      target = BROADCASTS;
    }
    if (target === null) return usage(ctx, history, 'No conversation is open; name one.');
    if (target === BROADCASTS) {
      ctx.respond('info', 'Broadcasts to everyone are not stored, so they have no history.');
      return;
    }
    if (ctx.store.get().openConversation !== target) {
      await ctx.open(target);
      if (ctx.store.get().openConversation === target) {
        const n = ctx.store.get().messages[target]?.length ?? 0;
        ctx.respond('info', `${target}: ${n > 0 ? `the latest ${plural(n, 'message')}` : 'no messages yet'}`);
      }
      return;
    }
    const lowest = lowestSeq(ctx.store.get().messages[target]);
    if (lowest === 1) {
      ctx.respond('info', `no older messages with ${target}: this is the start of the conversation`);
      return;
    }
    const reply = await ask(ctx, 'history:fetch', lowest === null ? { with: target } : { with: target, before: lowest });
    if (!reply) return;
    ctx.update((s) => addChatMessages(s, ctx.me(), reply.messages));
    const n = reply.messages.length;
    if (n === 0) {
      ctx.respond('info', `no older messages with ${target}`);
      return;
    }
    const end = reply.before === null ? ' (back to the start of the conversation)' : '; /history again for more';
    ctx.respond('info', `loaded ${plural(n, 'older message')} with ${target}${end}`);
  },
};
