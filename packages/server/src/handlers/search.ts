/** Messages the user can read that hold every word of a query, newest first, a page at a time. */
import { fail, searchTerms, REPLY_PAGE_MAX_BYTES, SEARCH_PAGE_DEFAULT, SEARCH_PAGE_MAX, SEARCH_QUERY_MAX } from '@tui-chat/protocol';
import { checkConversation } from './group-checks.js';
import { oldestWithin } from './page-bytes.js';
import type { Handler } from './request.js';

export const search: Handler<'search:run'> = async ({ ctx, user, payload, charge }) => {
  const length = [...payload.query].length;
  if (length > SEARCH_QUERY_MAX) {
    return fail('bad_request', `A search holds at most ${SEARCH_QUERY_MAX} characters; this one has ${length}.`);
  }
  const terms = searchTerms(payload.query);
  if (terms.length === 0) return fail('bad_request', 'Give words to search for, such as /search lunch.');
  let conversation: string | undefined;
  if (payload.with !== undefined) {
    const other = await checkConversation(ctx, payload.with, user, 'There is no conversation with yourself to search.');
    if ('ok' in other) return other;
    conversation = other.conversation;
  }
  const limit = Math.min(payload.limit ?? SEARCH_PAGE_DEFAULT, SEARCH_PAGE_MAX);
  // One more than the page, so whether older matches remain is known. The store stops early at
  // the byte bound only when a further match exists, and then the page is cut below (each
  // message is larger sent than its text, and no text alone reaches the bound): `cut` says so.
  const found = await ctx.store.search(user, terms, {
    conversation,
    before: payload.before,
    limit: limit + 1,
    maxTextBytes: REPLY_PAGE_MAX_BYTES,
  });
  // Newest first: the first ones that fit (oldestWithin keeps the head of the list).
  const page = oldestWithin(found.slice(0, limit));
  charge(page.bytes);
  const last = page.items.at(-1);
  const more = found.length > limit || page.cut;
  return { ok: true, messages: page.items, terms, before: more && last ? last.id : null };
};
