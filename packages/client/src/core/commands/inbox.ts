/**
 * /inbox: what arrived while away, grouped by sender with times; the server then marks it read.
 * The messages also go into their conversations.
 */
import { conversationWith } from '@tui-chat/protocol';
import { ask } from '../ask.js';
import { upsertView } from '../conversations.js';
import { formatTime, plural } from '../format.js';
import { addChatMessages } from '../sync.js';
import { noArgs } from './args.js';
import type { Command } from './command.js';

export const inbox: Command = {
  name: 'inbox',
  aliases: [],
  usage: '/inbox',
  summary: 'show the messages that arrived while you were away, by sender, and mark them read',
  async run(ctx, args) {
    if (!noArgs(ctx, inbox, args)) return;
    const reply = await ask(ctx, 'inbox:fetch', {});
    if (!reply) return;
    if (reply.total === 0) {
      ctx.respond('info', 'your inbox is empty');
      return;
    }
    const me = ctx.me();
    const messages = reply.groups.flatMap((g) => g.messages);
    for (const m of messages) ctx.reads.read(conversationWith(m, me), m.seq);
    ctx.update((s) => {
      let next = addChatMessages(s, me, messages);
      for (const g of reply.groups) next = upsertView(next, g.from, () => ({ unread: 0 }));
      return next;
    });
    const now = ctx.now();
    const shown = messages.length;
    const lines = [`inbox: ${plural(reply.total, 'message')}${reply.total > shown ? ` (the oldest ${shown} shown)` : ''}`];
    for (const g of reply.groups) {
      lines.push(`${g.from} (${g.messages.length}):`);
      for (const m of g.messages) lines.push(`  ${formatTime(m.at, now)}  ${m.text}`);
    }
    if (reply.more) lines.push('more unread messages wait: /inbox again shows the next ones');
    ctx.respond('info', lines.join('\n'));
  },
};
