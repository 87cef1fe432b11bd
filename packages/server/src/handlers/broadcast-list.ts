/**
 * A broadcast to named users (`broadcast user a b message text`). Each copy is stored in the pair
 * conversation, so those offline find it in their inbox. Any unknown name: nothing is sent.
 */
import { fail, nameProblem, normalizeName } from '@tui-chat/protocol';
import { deliverStored } from './deliver.js';
import { checkText, type Handler } from './request.js';

export const broadcastList: Handler<'broadcast:list'> = async ({ ctx, socket, user, payload, afterAck }) => {
  const invalid = payload.to.filter((n) => nameProblem(n) !== null);
  if (invalid.length > 0) {
    return fail('invalid_name', `Not user names: ${invalid.map((n) => JSON.stringify(n.slice(0, 40))).join(', ')}. Nothing was sent.`, {
      names: invalid,
    });
  }
  const names = [...new Set(payload.to.map(normalizeName))];
  if (names.includes(user)) return fail('self_message', 'The list names you; leave yourself out. Nothing was sent.');
  const bad = checkText(payload.text);
  if (bad) return bad;
  const known = await ctx.store.existingUsers(names);
  const unknown = names.filter((n) => !known.includes(n));
  if (unknown.length > 0) {
    return fail('unknown_user', `No such user${unknown.length > 1 ? 's' : ''}: ${unknown.join(', ')}. Nothing was sent.`, {
      names: unknown,
    });
  }
  const blockers = await ctx.store.blockersOf(user, names);
  if (blockers.length > 0) {
    return fail(
      'blocked',
      `${blockers.join(', ')} ${blockers.length > 1 ? 'do' : 'does'} not accept messages from you; take them off the list. Nothing was sent.`,
      {
        names: blockers,
      },
    );
  }
  const at = Date.now();
  const results = await ctx.writer.append(
    names.map((to) => ({ from: user, to, text: payload.text, at, clientId: payload.clientId, kind: 'broadcast' as const })),
  );
  afterAck(() => {
    for (const { message } of results) deliverStored(ctx, socket, message);
  });
  // Stored by now: should presence be out of reach, those with a session on this node surely have
  // it and the rest find it in their inbox.
  const online = await ctx.presence.onlineAmong(names).catch((err: unknown) => {
    ctx.log.warn({ err }, 'presence lookup failed after a list broadcast was stored');
    const here = new Set(ctx.presence.local());
    return new Set(names.filter((n) => here.has(n)));
  });
  return {
    ok: true,
    delivered: names.filter((n) => online.has(n)),
    inbox: names.filter((n) => !online.has(n)),
    messages: results.map((r) => r.message),
  };
};
