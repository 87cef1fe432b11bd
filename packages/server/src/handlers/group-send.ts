/**
 * A message to a group (`message:send` to `#name`): the pair path's writer and delivery, with the
 * group's conversation and room. Every member gets it, whoever blocks whom: a block keeps two
 * people out of each other's pair conversation and out of groups made or joined after it.
 */
import type { ReplyOf } from '@tui-chat/protocol';
import { deliverStored } from './deliver.js';
import { checkMember } from './group-checks.js';
import { checkText, type Request } from './request.js';

export async function groupSend({ ctx, socket, user, payload, afterAck }: Request<'message:send'>): Promise<ReplyOf<'message:send'>> {
  const member = await checkMember(ctx, payload.to, user);
  if ('ok' in member) return member;
  const bad = checkText(payload.text);
  if (bad) return bad;
  const { info } = member;
  const [result] = await ctx.writer.append([
    { from: user, to: info.group, text: payload.text, at: Date.now(), clientId: payload.clientId, kind: 'direct' },
  ]);
  const { message, duplicate } = result!;
  afterAck(() => deliverStored(ctx, socket, message));
  // "Online" for a group: some other member is.
  const others = info.members.filter((m) => m !== user);
  const recipientOnline = await ctx.presence.onlineAmong(others).then(
    (online) => online.size > 0,
    (err: unknown) => {
      ctx.log.warn({ err }, 'presence lookup failed after a group message was stored');
      return null;
    },
  );
  return { ok: true, message, recipientOnline, duplicate };
}
