/**
 * /search [in:user | in:#group] words: the messages this user can read with every word (each as
 * the start of a word), newest first, in the search overlay; Enter there shows one in place.
 */
import { SEARCH_QUERY_MAX, searchTerms } from '@tui-chat/protocol';
import { runSearch } from '../search.js';
import { BROADCASTS } from '../types.js';
import { allWords, conversationArg, quote, usage } from './args.js';
import type { Command } from './command.js';

/** The word that keeps a search to one conversation: in:bob, in:#team. */
const IN = /^in:/i;

export const search: Command = {
  name: 'search',
  aliases: ['find'],
  usage: '/search [in:user | in:#group] <words>',
  summary: 'find messages with every word (each as the start of a word), newest first; Enter on one shows it in its conversation',
  argAt: () => ({ users: true, groups: true, prefix: 'in:' }),
  async run(ctx, args) {
    const words = allWords(args);
    const scopes = words.filter((w) => IN.test(w));
    const query = words.filter((w) => !IN.test(w)).join(' ');
    if (scopes.length > 1) return usage(ctx, search, 'Search one conversation at a time: give in: once.');
    let within: string | null = null;
    if (scopes[0] !== undefined) {
      const raw = scopes[0].slice(3);
      if (raw === '') return usage(ctx, search, 'in: needs a conversation: in:bob, in:#team.');
      if (raw === BROADCASTS) return usage(ctx, search, 'Broadcasts to everyone are not stored, so they cannot be searched.');
      within = conversationArg(ctx, search, raw);
      if (within === null) return;
      if (within === ctx.me()) return usage(ctx, search, 'There is no conversation with yourself.');
    }
    if (query === '') return usage(ctx, search, 'Give the words to look for.');
    const length = [...query].length;
    if (length > SEARCH_QUERY_MAX) {
      return usage(ctx, search, `A search holds at most ${SEARCH_QUERY_MAX} characters; this one has ${length}.`);
    }
    if (searchTerms(query).length === 0) {
      return usage(ctx, search, `${quote(query)} has no word to look for: a search looks for letters and digits.`);
    }
    await runSearch(ctx, query, within);
  },
};
