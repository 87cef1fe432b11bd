/**
 * /msg <user> <text> (also /send, /message): a private message. With a conversation open it stays
 * open (as in WeeChat); with nothing open, this one opens, so what was written is on screen. The
 * responses pane says whether it was delivered or waits in their inbox.
 */
import { findView } from '../conversations.js';
import { showConversation } from '../open-conversation.js';
import { sendDirect } from '../send.js';
import { conversationArg, takeWords, textProblem, usage } from './args.js';
import type { Command } from './command.js';

export const msg: Command = {
  name: 'msg',
  aliases: ['send', 'message'],
  usage: '/msg <user> <text>',
  summary: 'send a private message (with nothing open, its conversation opens; otherwise the open one stays)',
  argAt: (index) => (index === 0 ? { users: true, groups: true } : undefined),
  async run(ctx, args) {
    const { words, rest } = takeWords(args, 1);
    const [rawUser] = words;
    if (!rawUser || rest.length === 0) return usage(ctx, msg);
    const to = conversationArg(ctx, msg, rawUser);
    if (to === null) return;
    if (to === ctx.me()) return usage(ctx, msg, 'That is you; message someone else.');
    const problem = textProblem(rest);
    if (problem) return usage(ctx, msg, problem);
    const opens = ctx.store.get().openConversation === null;
    if (opens) {
      showConversation(ctx, to);
      // Its earlier messages, quietly: a name that does not exist is reported by the send itself.
      void ctx.open(to, { quiet: true });
    }
    await sendDirect(ctx, to, rest, true);
    // Refused outright (no such user, blocked): nothing to keep open.
    const after = ctx.store.get();
    const held = after.messages[to] ?? [];
    if (opens && after.openConversation === to && !findView(after, to) && held.every((m) => m.status === 'failed')) {
      ctx.update((s) => (s.openConversation === to ? { ...s, openConversation: null, newMarker: null } : s));
    }
  },
};
