/**
 * A conversation held as a window away from its newest messages (opened at a search hit, see
 * jump.ts): state.newer says so. Such a list takes only messages that continue it without a gap;
 * what lies beyond is on the server and comes a page at a time as the view is scrolled down into
 * it (loadNewer), until the page that reaches the newest joins the window to the live conversation.
 * A live message, an acknowledgement or an inline broadcast for it is left out meanwhile: shown
 * right after the window it would look as if nothing lay between. A window is never marked read
 * (sync.ts markRead): its newest messages are not on screen. Opening the conversation, End, or
 * sending to it goes back to the newest (open-conversation.ts drops the window).
 */
import { HISTORY_PAGE_DEFAULT, type ChatMessage } from '@tui-chat/protocol';
import type { ClientContext } from './context.js';
import { highestSeq } from './messages.js';
import { syncSince } from './catch-up.js';
import { addChatMessages } from './sync.js';
import type { ClientState } from './types.js';

/** Requests one range takes at most (each page the server cuts by bytes asks for the rest). */
const RANGE_REQUESTS_MAX = 20;

export function isWindow(state: ClientState, name: string): boolean {
  return state.newer[name] !== undefined;
}

export function withNewer(state: ClientState, name: string, newer: 'more' | 'loading' | null): ClientState {
  if ((state.newer[name] ?? null) === newer) return state;
  const next = { ...state.newer };
  if (newer === null) delete next[name];
  else next[name] = newer;
  return { ...state, newer: next };
}

/** The window goes: its messages and its paging, so the conversation loads again from its newest. */
export function dropWindow(state: ClientState, name: string): ClientState {
  if (!isWindow(state, name)) return state;
  const { [name]: _window, ...messages } = state.messages;
  const { [name]: _paging, ...paging } = state.paging;
  return { ...withNewer(state, name, null), messages, paging };
}

export interface Range {
  /** Oldest first, every seq from the lowest asked for (or the start) to the newest below `before` that exists. */
  messages: ChatMessage[];
  /** Nothing is newer than the range: the conversation's newest message is in it (or it has none). */
  newest: boolean;
  /** The range reaches the conversation's first message. */
  start: boolean;
}

/**
 * The messages with `from` <= seq < `before`, as far as they exist. history:fetch gives the newest
 * that fit in a page's bytes below `before`; the rest of the range is asked for again. Null when
 * a request failed (`say` hears why).
 */
export async function fetchRange(
  ctx: ClientContext,
  name: string,
  from: number,
  before: number,
  say: (problem: string) => void,
): Promise<Range | null> {
  const pages: ChatMessage[][] = [];
  let newest = false;
  let start = false;
  let below = before;
  for (let round = 0; round < RANGE_REQUESTS_MAX && below > from; round++) {
    let reply;
    try {
      reply = await ctx.request('history:fetch', { with: name, before: below, limit: below - from });
    } catch (err) {
      say((err as Error).message);
      return null;
    }
    if (!reply.ok) {
      say(reply.error.message);
      return null;
    }
    // The first page holds the newest below `before` that exists: short of it, nothing is newer.
    if (round === 0) newest = (reply.messages.at(-1)?.seq ?? 0) < before - 1;
    pages.unshift(reply.messages);
    start = reply.before === null;
    const first = reply.messages[0]?.seq;
    if (first === undefined || first <= from || start) break;
    below = first;
  }
  return { messages: pages.flat(), newest, start };
}

/**
 * A message is being sent to these conversations: those held as a window go back to their newest
 * messages (the open one loads them again), so the message shows after them and not after the window.
 */
export function leaveWindows(ctx: ClientContext, names: readonly string[]): void {
  for (const name of names) {
    if (!isWindow(ctx.store.get(), name)) continue;
    ctx.update((s) => dropWindow(s, name));
    if (ctx.store.get().openConversation === name) void ctx.open(name, { quiet: true });
  }
}

/** Scrolled down to the end of a window: the page after it (state.newer says while it loads). */
export async function loadNewer(ctx: ClientContext, name: string): Promise<void> {
  const state = ctx.store.get();
  if (state.screen !== 'chat' || state.newer[name] !== 'more') return;
  const highest = highestSeq(state.messages[name]);
  ctx.update((s) => withNewer(s, name, 'loading'));
  const range = await fetchRange(ctx, name, highest + 1, highest + 1 + HISTORY_PAGE_DEFAULT, () => undefined);
  if (!range) {
    // Not answered: the next scroll down tries again.
    ctx.update((s) => (s.newer[name] === 'loading' ? withNewer(s, name, 'more') : s));
    return;
  }
  for (const m of range.messages) ctx.reads.seen(name, m.seq);
  ctx.update((s) => {
    if (s.newer[name] === undefined) return s; // the window went meanwhile (opened at the newest)
    const next = addChatMessages(s, ctx.me(), range.messages);
    return withNewer(next, name, range.newest ? null : 'more');
  });
  // Joined the live conversation: a message that came while the window left it out is fetched now.
  const held = highestSeq(ctx.store.get().messages[name]);
  if (range.newest && !isWindow(ctx.store.get(), name) && ctx.reads.lastSeq(name) > held) {
    await syncSince(ctx, new Map([[name, held]]));
  }
}
