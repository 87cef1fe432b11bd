/**
 * 'presence:away': away with a text (cleaned to one line, AWAY_TEXT_MAX characters at most), or
 * back. Kept per user (all their sessions share it) until back or offline, and told to
 * everyone with the presence changes.
 */
import { AWAY_TEXT_MAX, cleanAwayText, fail } from '@tui-chat/protocol';
import type { Handler } from './request.js';

export const away: Handler<'presence:away'> = async ({ ctx, user, payload }) => {
  if (!payload.away) {
    await ctx.away.clear([user]);
    ctx.presenceFeed.push(user, true, null);
    return { ok: true, away: null };
  }
  const text = cleanAwayText(payload.text ?? '');
  const length = [...text].length;
  if (length > AWAY_TEXT_MAX) {
    return fail('bad_request', `An away text holds at most ${AWAY_TEXT_MAX} characters; this one has ${length}. You are not away.`);
  }
  await ctx.away.set(user, text);
  ctx.presenceFeed.push(user, true, text);
  return { ok: true, away: text };
};
