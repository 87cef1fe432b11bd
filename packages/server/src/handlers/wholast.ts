/** Users online at any moment of the last N minutes: online now, or last seen within the window. */
import { fail, WHOLAST_MAX_MINUTES, WHOLAST_MIN_MINUTES } from '@tui-chat/protocol';
import type { Handler } from './request.js';

export function parseMinutes(raw: number | string): number | null {
  const text = String(raw).trim();
  if (!/^\d{1,7}$/.test(text)) return null;
  const n = Number(text);
  return n >= WHOLAST_MIN_MINUTES && n <= WHOLAST_MAX_MINUTES ? n : null;
}

export const wholast: Handler<'presence:wholast'> = async ({ ctx, user, payload }) => {
  const minutes = parseMinutes(payload.minutes);
  if (minutes === null) {
    return fail(
      'invalid_minutes',
      `Minutes must be a whole number from ${WHOLAST_MIN_MINUTES} to ${WHOLAST_MAX_MINUTES}; got ${JSON.stringify(String(payload.minutes).slice(0, 20))}.`,
    );
  }
  const seen = await ctx.store.seenSince(Date.now() - minutes * 60_000);
  const users = [...new Set([...(await ctx.presence.online()), ...seen])].filter((u) => u !== user).sort();
  return { ok: true, users, minutes };
};
