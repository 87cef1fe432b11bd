/**
 * A search's pages (/search, the search overlay): the newest matches first, a page at a time
 * (search:run), into state.search. A refusal of the first page says its sentence in the responses
 * pane and the overlay closes; a later page's failure shows in the overlay, and the next move
 * there asks again. An answer for a search no longer shown is dropped.
 */
import { searchTerms, type ChatMessage, type ReplyOf } from '@tui-chat/protocol';
import type { ClientContext } from './context.js';
import type { SearchResults } from './types.js';

async function ask(ctx: ClientContext, held: SearchResults): Promise<ReplyOf<'search:run'>> {
  const payload = {
    query: held.query,
    ...(held.with !== null ? { with: held.with } : {}),
    ...(held.before !== null ? { before: held.before } : {}),
  };
  try {
    return await ctx.request('search:run', payload);
  } catch (err) {
    return { ok: false, error: { code: 'internal', message: (err as Error).message } };
  }
}

/** A new search: the overlay opens (state.search's serial is new) and shows its first page. */
export async function runSearch(ctx: ClientContext, query: string, within: string | null): Promise<void> {
  const serial = ++ctx.session.searchSerial;
  const first: SearchResults = {
    serial,
    query,
    with: within,
    terms: searchTerms(query),
    messages: [],
    before: null,
    loading: true,
    error: null,
  };
  ctx.update((s) => ({ ...s, search: first }));
  const reply = await ask(ctx, first);
  if (serial !== ctx.session.searchSerial) return;
  if (!reply.ok) {
    ctx.update((s) => ({ ...s, search: null }));
    ctx.respond('error', reply.error.message);
    return;
  }
  ctx.update((s) => ({ ...s, search: page(first, reply.messages, reply) }));
}

/** The next older page of the search shown; nothing while one loads or when all are loaded. */
export async function searchMore(ctx: ClientContext): Promise<void> {
  const held = ctx.store.get().search;
  if (!held || held.loading || held.before === null) return;
  const serial = ++ctx.session.searchSerial;
  const loading = { ...held, loading: true, error: null };
  ctx.update((s) => ({ ...s, search: loading }));
  const reply = await ask(ctx, held);
  if (serial !== ctx.session.searchSerial) return;
  ctx.update((s) => {
    if (!s.search) return s;
    if (!reply.ok) return { ...s, search: { ...s.search, loading: false, error: reply.error.message } };
    // Ids increase with time: a match the first pages held already (none should) is not listed twice.
    const ids = new Set(s.search.messages.map((m) => m.id));
    const older = reply.messages.filter((m) => !ids.has(m.id));
    return { ...s, search: page(s.search, [...s.search.messages, ...older], reply) };
  });
}

function page(held: SearchResults, messages: ChatMessage[], reply: { terms: string[]; before: number | null }): SearchResults {
  return { ...held, messages, terms: reply.terms, before: reply.before, loading: false, error: null };
}
