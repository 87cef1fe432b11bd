/**
 * What a send's answer does once it is final: the stored message replaces the pending one (with
 * its seq and the server's time), the failure marks it, and the responses pane says where it went.
 * Apart from send.ts, which decides when an answer is final (retries, waits, the outbox's order).
 */
import type { Replies } from '@tui-chat/protocol';
import type { ClientContext } from './context.js';
import { addMessages, upsertView } from './conversations.js';
import { names, plural } from './format.js';
import { fromBroadcast, inlineBroadcast, patchMessage } from './messages.js';
import type { OutboxEntry } from './outbox.js';
import { addChatMessages } from './sync.js';
import { BROADCASTS } from './types.js';

/** Whether the responses pane hears about a successful send (/msg does; plain text does not). */
export type Announce = boolean;

/** Where an entry shows: the conversations it belongs to. */
export function targets(entry: OutboxEntry): string[] {
  if (entry.kind === 'all') return [BROADCASTS];
  return entry.kind === 'direct' ? [entry.to] : entry.to;
}

/** How the responses pane names an entry ("the message to bob"). */
export function describe(entry: OutboxEntry): string {
  if (entry.kind === 'direct') return `the message to ${entry.to}`;
  if (entry.kind === 'list') return `the broadcast to ${names(entry.to)}`;
  return 'the broadcast';
}

/** "The server cannot reach X just now; try again." -> "The server cannot reach X just now". */
export function firstClause(sentence: string): string {
  return sentence.split(/[;.]/)[0]!.trim();
}

export function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

export function directSent(
  ctx: ClientContext,
  entry: Extract<OutboxEntry, { kind: 'direct' }>,
  reply: Replies['message:send'],
  announce: Announce,
): void {
  ctx.reads.seen(entry.to, reply.message.seq);
  ctx.update((s) => addChatMessages(s, ctx.me(), [reply.message]));
  if (!announce) return;
  ctx.respond(
    'info',
    // null: the server could not tell (its cluster's Redis out of reach); stored all the same.
    reply.recipientOnline !== false
      ? `message to ${entry.to} sent`
      : entry.to.startsWith('#')
        ? `nobody else in ${entry.to} is online; they will find it when they log in`
        : `${entry.to} is offline; it will wait in their inbox`,
  );
}

export function listSent(ctx: ClientContext, entry: Extract<OutboxEntry, { kind: 'list' }>, reply: Replies['broadcast:list']): void {
  for (const m of reply.messages) ctx.reads.seen(m.to, m.seq);
  ctx.update((s) => addChatMessages(s, ctx.me(), reply.messages));
  const { delivered, inbox } = reply;
  const now = delivered.length > 0 ? `${names(delivered)} ${delivered.length > 1 ? 'have' : 'has'} it now` : 'nobody on the list is online';
  const later =
    inbox.length === 0 ? '' : inbox.length === 1 ? `; it waits in ${inbox[0]}'s inbox` : `; it waits in the inboxes of ${names(inbox)}`;
  ctx.respond('info', `broadcast: ${now}${later}`);
}

export function allSent(
  ctx: ClientContext,
  entry: Extract<OutboxEntry, { kind: 'all' }>,
  reply: Replies['broadcast:send'],
  announce: Announce,
): void {
  const stored = fromBroadcast(reply.message, ctx.me());
  ctx.update((s) => {
    let next = addMessages(s, BROADCASTS, [stored]);
    next = upsertView(next, BROADCASTS, (v) => ({ lastAt: Math.max(v.lastAt ?? 0, stored.at) }));
    // Shown where the sender is, as the others see it: inline in the open pair conversation.
    const open = next.openConversation;
    if (open !== null && open !== BROADCASTS) next = addMessages(next, open, [inlineBroadcast(stored)]);
    return next;
  });
  if (!announce) return;
  const n = reply.recipients.length;
  ctx.respond('info', n === 0 ? 'broadcast sent, but nobody else is online' : `broadcast to ${plural(n, 'user')} online`);
}

export function failed(ctx: ClientContext, entry: OutboxEntry, reason: string): void {
  ctx.update((s) => {
    const messages = { ...s.messages };
    for (const name of targets(entry)) {
      const list = messages[name];
      if (list) messages[name] = patchMessage(list, entry.clientId, { status: 'failed', error: reason });
    }
    return { ...s, messages };
  });
  ctx.respond('error', reason);
}
