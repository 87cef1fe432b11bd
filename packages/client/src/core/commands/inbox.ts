/**
 * /inbox: the private messages that arrived while away, grouped by sender with times; the server
 * then marks them read. The messages also go into their conversations. Groups with something
 * unread are named with their counts beside them (they stay unread until opened).
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
  summary: 'show the private messages that arrived while you were away, by sender, and mark them read; name the groups with unread',
  async run(ctx, args) {
    if (!noArgs(ctx, inbox, args)) return;
    const reply = await ask(ctx, 'inbox:fetch', {});
    if (!reply) return;
    const inGroups = groupsLine(reply.unreadGroups ?? []);
    if (reply.total === 0) {
      ctx.respond('info', inGroups ? `no private messages waiting\n${inGroups}` : 'your inbox is empty');
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
    if (inGroups) lines.push(inGroups);
    ctx.respond('info', lines.join('\n'));
  },
};

/** "in groups: #ops 3 unread, #dev 1 unread (/open #ops)", or '' when none has anything unread. */
function groupsLine(groups: readonly { group: string; unread: number }[]): string {
  if (groups.length === 0) return '';
  const counts = groups.map((g) => `${g.group} ${g.unread} unread`).join(', ');
  const most = groups.reduce((a, b) => (b.unread > a.unread ? b : a));
  return `in groups: ${counts} (/open ${most.group})`;
}
