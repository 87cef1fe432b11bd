/** Opening a conversation: show it, fetch its latest page (merged, no duplicates), mark it read. */
import {
  groupKey,
  groupNameProblem,
  HISTORY_PAGE_DEFAULT,
  HISTORY_PAGE_MAX,
  isGroup,
  nameProblem,
  normalizeName,
} from '@tui-chat/protocol';
import type { ClientContext } from './context.js';
import { findView, upsertView } from './conversations.js';
import { loadGroupMembers } from './group-members.js';
import { withPaging } from './older.js';
import { dropWindow } from './window.js';
import { addChatMessages, markRead } from './sync.js';
import { BROADCASTS, type ClientState, type NewMarker } from './types.js';

/**
 * Where the `── new ──` line of `name` goes when it opens now: above its first unread message;
 * null when nothing is unread.
 */
export function markerFor(ctx: ClientContext, state: ClientState, name: string): NewMarker | null {
  const unread = findView(state, name)?.unread ?? 0;
  if (unread === 0) return null;
  if (name !== BROADCASTS) return { conversation: name, afterSeq: ctx.reads.readSeq(name) };
  // Broadcasts have no read marker: the unread ones are the newest from others.
  const me = ctx.me();
  const list = state.messages[BROADCASTS] ?? [];
  let left = unread;
  for (let i = list.length - 1; i >= 0; i--) {
    const m = list[i]!;
    if (m.from === me || m.seq === undefined) continue;
    if (--left === 0) return { conversation: name, afterSeq: m.seq - 1 };
  }
  return null;
}

/** Shows `name` in the messages pane, with its `── new ──` line; nothing changes when it is already open. */
export function showConversation(ctx: ClientContext, name: string): void {
  ctx.update((s) => (s.openConversation === name ? s : { ...s, openConversation: name, newMarker: markerFor(ctx, s, name) }));
}

export interface OpenOptions {
  /** Say nothing when the conversation cannot be opened (the caller reports the failure its own way). */
  quiet?: boolean;
}

/** Enough to reach the first unread message, within the largest page the server gives. */
function pageFor(unread: number): number {
  return Math.min(HISTORY_PAGE_MAX, Math.max(HISTORY_PAGE_DEFAULT, unread + 10));
}

/**
 * `stillWanted` is false once another open() started, so a slow answer never switches the view
 * back. A known conversation switches at once (its cached messages show while the page loads);
 * a new one only once the server confirms the user exists.
 */
export async function openConversation(
  ctx: ClientContext,
  raw: string,
  stillWanted: () => boolean,
  options: OpenOptions = {},
): Promise<void> {
  const state = ctx.store.get();
  if (state.screen !== 'chat') return;
  const say = (text: string) => {
    if (!options.quiet) ctx.respond('error', text);
  };
  if (raw === BROADCASTS) {
    showConversation(ctx, BROADCASTS);
    ctx.update((s) => upsertView(s, BROADCASTS, () => ({ unread: 0 })));
    return;
  }
  const group = isGroup(raw.trim());
  const problem = group ? groupNameProblem(raw) : nameProblem(raw);
  if (problem) {
    say(`${JSON.stringify(raw.slice(0, 40))} is not a ${group ? 'group' : 'user'} name: ${problem}`);
    return;
  }
  const name = group ? groupKey(raw) : normalizeName(raw);
  if (name === ctx.me()) {
    say('There is no conversation with yourself.');
    return;
  }
  // Opening shows the newest messages: a window held away from them (a search hit's) goes.
  ctx.update((s) => dropWindow(s, name));
  const view = findView(state, name);
  if (view) {
    showConversation(ctx, name);
    markRead(ctx, name);
  }
  // A group's header names its members: asked beside the page when not held.
  void loadGroupMembers(ctx, name);
  let reply;
  try {
    reply = await ctx.request('history:fetch', { with: name, limit: pageFor(view?.unread ?? 0) });
  } catch (err) {
    if (!view) say((err as Error).message);
    return;
  }
  if (!reply.ok) {
    say(reply.error.message);
    return;
  }
  for (const m of reply.messages) ctx.reads.seen(name, m.seq);
  const wanted = stillWanted();
  ctx.update((s) => {
    let next = upsertView(addChatMessages(s, ctx.me(), reply.messages), name);
    if (reply.before === null) next = withPaging(next, name, 'start');
    if (wanted && next.openConversation !== name) next = { ...next, openConversation: name, newMarker: null };
    return next;
  });
  if (wanted) markRead(ctx, name);
}
