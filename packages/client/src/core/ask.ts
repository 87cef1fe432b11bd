/** A request whose failure goes to the responses pane: resolves with the reply, or null after saying why. */
import type { Replies, RequestEvent, RequestPayload } from '@tui-chat/protocol';
import type { ClientContext } from './context.js';

export async function ask<E extends RequestEvent>(
  ctx: ClientContext,
  event: E,
  payload: RequestPayload<E>,
): Promise<({ ok: true } & Replies[E]) | null> {
  let reply;
  try {
    reply = await ctx.request(event, payload);
  } catch (err) {
    ctx.respond('error', (err as Error).message);
    return null;
  }
  if (!reply.ok) {
    ctx.respond('error', reply.error.message);
    return null;
  }
  return reply;
}

/** Like ask, but silent: for background requests the user did not type. */
export async function quietly<E extends RequestEvent>(
  ctx: ClientContext,
  event: E,
  payload: RequestPayload<E>,
): Promise<({ ok: true } & Replies[E]) | null> {
  try {
    const reply = await ctx.request(event, payload);
    return reply.ok ? reply : null;
  } catch {
    return null;
  }
}
