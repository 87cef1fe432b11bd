/**
 * Sending own messages: shown at once as 'pending', kept in the outbox until acknowledged, marked
 * 'sent' (with seq and server time) or 'failed' (with the reason), resent after a reconnect.
 */
import type { ChatError, Replies } from '@tui-chat/protocol';
import type { ClientContext } from './context.js';
import { addMessages, upsertView } from './conversations.js';
import { names, plural } from './format.js';
import { newClientId } from './ids.js';
import { patchMessage, pendingMessage } from './messages.js';
import type { OutboxEntry } from './outbox.js';
import { RequestFailure } from './request.js';
import { addChatMessages } from './sync.js';
import { BROADCASTS, type ClientState, type DisplayMessage } from './types.js';

/** Whether the responses pane hears about a successful send (/msg does; plain text does not). */
export type Announce = boolean;

export async function sendDirect(ctx: ClientContext, to: string, text: string, announce: Announce): Promise<void> {
  const entry: OutboxEntry = { kind: 'direct', clientId: newClientId(), to, text };
  await start(ctx, entry, announce);
}

export async function sendBroadcastAll(ctx: ClientContext, text: string, announce: Announce): Promise<void> {
  await start(ctx, { kind: 'all', clientId: newClientId(), text }, announce);
}

export async function sendBroadcastList(ctx: ClientContext, to: string[], text: string, announce: Announce): Promise<void> {
  await start(ctx, { kind: 'list', clientId: newClientId(), to, text }, announce);
}

/** Resends everything in the outbox (after a reconnect); the server stores each clientId once. */
export async function resendOutbox(ctx: ClientContext): Promise<number> {
  const waiting = ctx.outbox.waiting();
  await Promise.all(waiting.map((entry) => deliver(ctx, entry, false)));
  return waiting.length;
}

/** Where an entry shows: the conversations it belongs to. */
function targets(entry: OutboxEntry): string[] {
  if (entry.kind === 'all') return [BROADCASTS];
  return entry.kind === 'direct' ? [entry.to] : entry.to;
}

async function start(ctx: ClientContext, entry: OutboxEntry, announce: Announce): Promise<void> {
  ctx.outbox.add(entry);
  const me = ctx.me();
  const at = ctx.now();
  const kind: DisplayMessage['kind'] = entry.kind === 'all' ? 'broadcast-all' : entry.kind === 'list' ? 'broadcast' : 'direct';
  ctx.update((s) =>
    targets(entry).reduce(
      (acc, name) => addMessages(acc, name, [pendingMessage(entry.clientId, me, name === BROADCASTS ? null : name, entry.text, at, kind)]),
      s,
    ),
  );
  if (!ctx.connected()) {
    ctx.respond('info', `Not connected: ${describe(entry)} will be sent when the connection is back.`);
    return;
  }
  await deliver(ctx, entry, announce);
}

function describe(entry: OutboxEntry): string {
  if (entry.kind === 'direct') return `the message to ${entry.to}`;
  if (entry.kind === 'list') return `the broadcast to ${names(entry.to)}`;
  return 'the broadcast';
}

/** One attempt. Without an answer the entry stays in the outbox, still 'pending'. */
async function deliver(ctx: ClientContext, entry: OutboxEntry, announce: Announce): Promise<void> {
  if (!ctx.outbox.begin(entry.clientId)) return;
  try {
    if (entry.kind === 'direct') {
      const reply = await ctx.request('message:send', { to: entry.to, text: entry.text, clientId: entry.clientId });
      ctx.outbox.remove(entry.clientId);
      if (reply.ok) directSent(ctx, entry, reply, announce);
      else failed(ctx, entry, reply.error);
    } else if (entry.kind === 'list') {
      const reply = await ctx.request('broadcast:list', { to: entry.to, text: entry.text, clientId: entry.clientId });
      ctx.outbox.remove(entry.clientId);
      if (reply.ok) listSent(ctx, entry, reply);
      else failed(ctx, entry, reply.error);
    } else {
      const reply = await ctx.request('broadcast:send', { text: entry.text, clientId: entry.clientId });
      ctx.outbox.remove(entry.clientId);
      if (reply.ok) allSent(ctx, entry, reply, announce);
      else failed(ctx, entry, reply.error);
    }
  } catch (err) {
    ctx.outbox.end(entry.clientId);
    if (!(err instanceof RequestFailure)) throw err;
    if (announce) ctx.respond('info', `${err.message} ${capitalize(describe(entry))} will be resent after reconnecting.`);
  }
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function directSent(
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
    reply.recipientOnline ? `message to ${entry.to} sent` : `${entry.to} is offline; it will wait in their inbox`,
  );
}

function listSent(ctx: ClientContext, entry: Extract<OutboxEntry, { kind: 'list' }>, reply: Replies['broadcast:list']): void {
  for (const m of reply.messages) ctx.reads.seen(m.to, m.seq);
  ctx.update((s) => addChatMessages(s, ctx.me(), reply.messages));
  const parts: string[] = [];
  parts.push(reply.delivered.length > 0 ? `broadcast to ${names(reply.delivered)}` : 'broadcast to nobody online');
  if (reply.inbox.length > 0) parts.push(`in the inbox of ${names(reply.inbox)}`);
  ctx.respond('info', parts.join('; '));
}

function allSent(
  ctx: ClientContext,
  entry: Extract<OutboxEntry, { kind: 'all' }>,
  reply: Replies['broadcast:send'],
  announce: Announce,
): void {
  const at = ctx.now();
  ctx.update((s) => {
    const list = s.messages[BROADCASTS] ?? [];
    const next: ClientState = { ...s, messages: { ...s.messages, [BROADCASTS]: patchMessage(list, entry.clientId, { status: 'sent' }) } };
    return upsertView(next, BROADCASTS, (v) => ({ lastAt: Math.max(v.lastAt ?? 0, at) }));
  });
  if (!announce) return;
  const n = reply.recipients.length;
  ctx.respond('info', n === 0 ? 'broadcast sent, but nobody else is online' : `broadcast to ${plural(n, 'user')} online`);
}

function failed(ctx: ClientContext, entry: OutboxEntry, error: ChatError): void {
  ctx.update((s) => {
    const messages = { ...s.messages };
    for (const name of targets(entry)) {
      const list = messages[name];
      if (list) messages[name] = patchMessage(list, entry.clientId, { status: 'failed', error: error.message });
    }
    return { ...s, messages };
  });
  ctx.respond('error', error.message);
}
