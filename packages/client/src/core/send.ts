/**
 * Sending own messages: shown at once as 'pending', kept in the outbox until acknowledged, marked
 * 'sent' (with seq and server time) or 'failed' (with the reason). The outbox goes out one message
 * at a time, in order; it is resent after a reconnect, retried (same clientId) when an answer is
 * missing while connected, and retried after `retryAfter` when the server says `rate_limited`.
 */
import type { Replies, ReplyOf } from '@tui-chat/protocol';
import type { ClientContext } from './context.js';
import { addMessages } from './conversations.js';
import { plural } from './format.js';
import { newClientId } from './ids.js';
import { pendingMessage } from './messages.js';
import type { OutboxEntry, Queued } from './outbox.js';
import { RequestFailure } from './request.js';
import { allSent, capitalize, describe, directSent, failed, firstClause, listSent, targets, type Announce } from './send-outcome.js';
import { leaveWindows } from './window.js';
import { BROADCASTS, type DisplayMessage } from './types.js';

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

/**
 * After a reconnect: sends what the outbox holds, oldest first (the server stores each clientId
 * once). Resolves with how many messages were waiting.
 */
export async function resendOutbox(ctx: ClientContext): Promise<number> {
  const waiting = ctx.outbox.size;
  // A fresh connection (perhaps to another node) need not wait out a missing answer or an outage.
  ctx.outbox.cancelWait('timeout', 'unavailable');
  await drain(ctx);
  return waiting;
}

/**
 * After a login: what an earlier run of this user left unsent (outbox-file.ts) is shown pending in
 * its conversations and sent like the rest of the outbox, oldest first, with its own client ids.
 */
export async function restoreOutbox(ctx: ClientContext, entries: readonly OutboxEntry[]): Promise<void> {
  const fresh = entries.filter((e) => !ctx.outbox.has(e.clientId));
  if (fresh.length === 0) return;
  for (const entry of fresh) {
    ctx.outbox.add(entry, false);
    showPending(ctx, entry);
  }
  ctx.respond('info', `Sending ${plural(fresh.length, 'message')} left unsent when tui-chat last closed.`);
  await drain(ctx);
}

async function start(ctx: ClientContext, entry: OutboxEntry, announce: Announce): Promise<void> {
  ctx.outbox.add(entry, announce);
  showPending(ctx, entry);
  if (!ctx.connected()) {
    ctx.respond('info', `Not connected: ${describe(entry)} will be sent when the connection is back.`);
    return;
  }
  // Done once acknowledged or refused, or once the queue stops (offline, waiting to retry): then it stays pending.
  const settled = ctx.outbox.settled(entry.clientId);
  void drain(ctx);
  await settled;
}

function showPending(ctx: ClientContext, entry: OutboxEntry): void {
  leaveWindows(ctx, targets(entry));
  const me = ctx.me();
  const at = ctx.now();
  const kind: DisplayMessage['kind'] = entry.kind === 'all' ? 'broadcast-all' : entry.kind === 'list' ? 'broadcast' : 'direct';
  ctx.update((s) =>
    targets(entry).reduce(
      (acc, name) => addMessages(acc, name, [pendingMessage(entry.clientId, me, name === BROADCASTS ? null : name, entry.text, at, kind)]),
      s,
    ),
  );
}

/** Sends the queue one message at a time until it is empty, the connection is down, or the head must wait. */
function drain(ctx: ClientContext): Promise<void> {
  // This session's outbox: should the session end meanwhile, the loop stops with it.
  const outbox = ctx.outbox;
  return outbox.drain(async (epoch) => {
    for (;;) {
      const head = outbox.head();
      if (!head || !ctx.connected() || !outbox.current(epoch)) return;
      let next: boolean;
      try {
        next = await attempt(ctx, head, epoch);
      } catch (err) {
        // Not expected (requests fail with RequestFailure); the message stays pending for the next reconnect.
        ctx.respond('error', `Sending failed: ${(err as Error).message}`);
        return;
      }
      if (!next || !outbox.current(epoch)) return;
    }
  });
}

/** Retry delays after a missing answer: 0.5 s, 1 s, 2 s, ... at most 8 s. */
const timeoutBackoffMs = (n: number): number => Math.min(8000, 500 * 2 ** (n - 1));

/**
 * One attempt for the head of the queue. Returns true when it left the queue (acknowledged,
 * refused, given up) and the next may go; false when the queue must stop for now.
 */
async function attempt(ctx: ClientContext, queued: Queued, epoch: number): Promise<boolean> {
  const { entry, announce } = queued;
  const outbox = ctx.outbox;
  let reply: ReplyOf<'message:send'> | ReplyOf<'broadcast:list'> | ReplyOf<'broadcast:send'>;
  try {
    if (entry.kind === 'direct') reply = await ctx.request('message:send', { to: entry.to, text: entry.text, clientId: entry.clientId });
    else if (entry.kind === 'list')
      reply = await ctx.request('broadcast:list', { to: entry.to, text: entry.text, clientId: entry.clientId });
    else reply = await ctx.request('broadcast:send', { text: entry.text, clientId: entry.clientId });
  } catch (err) {
    if (!(err instanceof RequestFailure)) throw err;
    if (!outbox.current(epoch)) return false; // the session ended meanwhile
    if (err.reason === 'timeout' && ctx.connected()) {
      // Connected but unanswered: try again with the same clientId (the server stores it once).
      queued.timeouts++;
      if (queued.timeouts >= outbox.attempts) {
        outbox.remove(entry.clientId);
        failed(
          ctx,
          entry,
          `No answer from the server after ${plural(queued.timeouts, 'attempt')}; ${describe(entry)} may not have been sent.`,
        );
        return true;
      }
      if (queued.timeouts === 1 && announce) ctx.respond('info', `${err.message} Trying ${describe(entry)} again.`);
      outbox.pause(timeoutBackoffMs(queued.timeouts), 'timeout', () => void drain(ctx));
      return false;
    }
    // The connection is down: it waits in the outbox for the reconnect.
    if (announce && !queued.toldOffline) {
      queued.toldOffline = true;
      ctx.respond('info', `${err.message} ${capitalize(describe(entry))} will be resent after reconnecting.`);
    }
    return false;
  }
  if (!outbox.current(epoch)) return false; // the session ended meanwhile
  // Too fast: the same message again after the wait the server names, a few times.
  if (!reply.ok && reply.error.code === 'rate_limited') {
    queued.rateLimited++;
    if (queued.rateLimited < outbox.attempts) {
      const seconds = Math.max(1, reply.error.retryAfter ?? 1);
      if (queued.rateLimited === 1) ctx.respond('info', `Sending too fast: ${describe(entry)} goes out in ${seconds} s.`);
      outbox.pause(seconds * 1000, 'rate_limited', () => void drain(ctx));
      return false;
    }
  }
  // What the server depends on is out of reach (its database or Redis restarting): the same
  // message again, waiting longer each time (2, 4, 8, 16, then every 30 s), for as long as the
  // connection lasts. Giving up could show a message as failed that a cut-off commit had stored.
  if (!reply.ok && reply.error.code === 'unavailable') {
    queued.unavailable++;
    const seconds = Math.min(30, Math.max(1, reply.error.retryAfter ?? 1) * 2 ** (queued.unavailable - 1));
    if (queued.unavailable === 1) ctx.respond('info', `${firstClause(reply.error.message)}: ${describe(entry)} goes out in ${seconds} s.`);
    outbox.pause(seconds * 1000, 'unavailable', () => void drain(ctx));
    return false;
  }
  outbox.remove(entry.clientId);
  if (!reply.ok) failed(ctx, entry, reply.error.message);
  else if (entry.kind === 'direct') directSent(ctx, entry, reply as Replies['message:send'], announce);
  else if (entry.kind === 'list') listSent(ctx, entry, reply as Replies['broadcast:list']);
  else allSent(ctx, entry, reply as Replies['broadcast:send'], announce);
  return true;
}
