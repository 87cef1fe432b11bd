/** A private message: stored, acknowledged, then delivered to the pair room (again on a resend). */
import { fail, isGroup } from '@tui-chat/protocol';
import { deliverStored } from './deliver.js';
import { groupSend } from './group-send.js';
import { checkOtherUser, checkText, type Handler } from './request.js';

/**
 * The checks answer from memory (known names, block lists, presence) and are awaited only when one
 * has to ask the store or Redis: every `await` of a value already there still costs a promise and a
 * turn of the microtask queue, on every message.
 */
export const messageSend: Handler<'message:send'> = async (req) => {
  if (isGroup(req.payload.to.trim())) return groupSend(req);
  const { ctx, socket, user, payload, afterAck } = req;
  const checked = checkOtherUser(ctx, payload.to, user, 'That is you; message someone else.');
  const to = checked instanceof Promise ? await checked : checked;
  if ('ok' in to) return to;
  const bad = checkText(payload.text);
  if (bad) return bad;
  const blocks = ctx.blocks.blocks(to.name, user);
  if (typeof blocks === 'boolean' ? blocks : await blocks) {
    return fail('blocked', `${to.name} does not accept messages from you.`);
  }
  const [result] = await ctx.writer.append([
    { from: user, to: to.name, text: payload.text, at: Date.now(), clientId: payload.clientId, kind: 'direct' },
  ]);
  const { message, duplicate } = result!;
  afterAck(() => deliverStored(ctx, socket, message));
  const online = ctx.presence.isOnline(to.name);
  const recipientOnline =
    typeof online === 'boolean'
      ? online
      : // Stored by now: a presence lookup that fails must not turn that into an error.
        await online.catch((err: unknown) => {
          ctx.log.warn({ err }, 'presence lookup failed after a message was stored');
          return null;
        });
  return { ok: true, message, recipientOnline, duplicate };
};
