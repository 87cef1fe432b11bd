/** A private message: stored, acknowledged, then delivered to the pair room (again on a resend). */
import { fail, isGroup } from '@tui-chat/protocol';
import { deliverStored } from './deliver.js';
import { groupSend } from './group-send.js';
import { checkOtherUser, checkText, type Handler } from './request.js';

export const messageSend: Handler<'message:send'> = async (req) => {
  if (isGroup(req.payload.to.trim())) return groupSend(req);
  const { ctx, socket, user, payload, afterAck } = req;
  const to = await checkOtherUser(ctx, payload.to, user, 'That is you; message someone else.');
  if ('ok' in to) return to;
  const bad = checkText(payload.text);
  if (bad) return bad;
  if (await ctx.blocks.blocks(to.name, user)) {
    return fail('blocked', `${to.name} does not accept messages from you.`);
  }
  const [result] = await ctx.writer.append([
    { from: user, to: to.name, text: payload.text, at: Date.now(), clientId: payload.clientId, kind: 'direct' },
  ]);
  const { message, duplicate } = result!;
  afterAck(() => deliverStored(ctx, socket, message));
  // Stored by now: a presence lookup that fails must not turn that into an error.
  const recipientOnline = await ctx.presence.isOnline(to.name).catch((err: unknown) => {
    ctx.log.warn({ err }, 'presence lookup failed after a message was stored');
    return null;
  });
  return { ok: true, message, recipientOnline, duplicate };
};
