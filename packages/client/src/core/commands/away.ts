/**
 * /away [text]: away, with what you say (e.g. "lunch, back at 3"), shown to everyone beside your
 * name until /back. /away alone toggles: away without a text when you are here, back when you are
 * away (IRC's "/away alone is back", and what a newcomer typing /away expects).
 */
import { AWAY_TEXT_MAX, cleanAwayText } from '@tui-chat/protocol';
import { setAway } from '../away.js';
import { usage } from './args.js';
import type { Command } from './command.js';

export const away: Command = {
  name: 'away',
  aliases: [],
  usage: '/away [text]',
  summary: 'say you are away (with a text, shown beside your name); /away alone toggles back',
  async run(ctx, args) {
    const text = cleanAwayText(args);
    if (text === '') return setAway(ctx, ctx.store.get().away[ctx.me()] === undefined ? '' : null);
    const length = [...text].length;
    if (length > AWAY_TEXT_MAX) {
      return usage(ctx, away, `An away text holds at most ${AWAY_TEXT_MAX} characters; this one has ${length}. You are not away.`);
    }
    await setAway(ctx, text);
  },
};
