/**
 * /broadcast <text>: to everyone online (not kept for those offline).
 * /broadcast user <u1> <u2> ... message <text>: the old list form; each copy is stored, so those
 * offline find it in their inbox. /broadcast message <text> is the old form of the first.
 * (To broadcast text that starts with the word "user" or "message", use /broadcast message <text>.)
 */
import { BROADCAST_LIST_MAX } from '@tui-chat/protocol';
import { showConversation } from '../open-conversation.js';
import { sendBroadcastAll, sendBroadcastList } from '../send.js';
import { BROADCASTS } from '../types.js';
import { takeWords, textProblem, usage, userArg } from './args.js';
import type { Command } from './command.js';

export const broadcast: Command = {
  name: 'broadcast',
  aliases: [],
  usage: '/broadcast <text>  |  /broadcast user <u1> <u2> ... message <text>',
  summary: 'send to everyone online, or to a list of users (offline ones get it in their inbox)',
  argAt(index, before) {
    if (index === 0) return { words: ['user', 'message'] };
    if ((before[0] === 'user' || before[0] === 'users') && !before.includes('message')) {
      return index === 1 ? { users: true } : { users: true, words: ['message'] };
    }
    return undefined;
  },
  async run(ctx, args) {
    const { words, rest } = takeWords(args, 1);
    const [first] = words;
    if (!first) return usage(ctx, broadcast);
    if (first === 'user' || first === 'users') return listForm(ctx, rest);
    const text = first === 'message' ? rest : args;
    const problem = textProblem(text);
    if (problem) return usage(ctx, broadcast, problem);
    // With nothing open, the broadcasts open: what was written is on screen.
    if (ctx.store.get().openConversation === null) showConversation(ctx, BROADCASTS);
    await sendBroadcastAll(ctx, text, true);
  },
};

async function listForm(ctx: Parameters<Command['run']>[0], args: string): Promise<void> {
  const to: string[] = [];
  let rest = args;
  let text: string | null = null;
  for (;;) {
    const next = takeWords(rest, 1);
    const [word] = next.words;
    if (word === undefined) break;
    if (word === 'message') {
      text = next.rest;
      break;
    }
    const name = userArg(ctx, broadcast, word);
    if (name === null) return;
    if (!to.includes(name)) to.push(name);
    rest = next.rest;
  }
  if (to.length === 0) return usage(ctx, broadcast, 'Name at least one user after "user".');
  if (text === null) return usage(ctx, broadcast, 'Put "message" between the names and the text.');
  if (to.includes(ctx.me())) return usage(ctx, broadcast, 'The list names you; leave yourself out.');
  if (to.length > BROADCAST_LIST_MAX) return usage(ctx, broadcast, `A list broadcast names at most ${BROADCAST_LIST_MAX} users.`);
  const problem = textProblem(text);
  if (problem) return usage(ctx, broadcast, problem);
  await sendBroadcastList(ctx, to, text, true);
}
