/** Opening a conversation: show it, fetch its latest page (merged, no duplicates), mark it read. */
import { nameProblem, normalizeName } from '@tui-chat/protocol';
import type { ClientContext } from './context.js';
import { findView, upsertView } from './conversations.js';
import { addChatMessages, markRead } from './sync.js';
import { BROADCASTS } from './types.js';

/**
 * `stillWanted` is false once another open() started, so a slow answer never switches the view
 * back. A known conversation switches at once (its cached messages show while the page loads);
 * a new one only once the server confirms the user exists.
 */
export async function openConversation(ctx: ClientContext, raw: string, stillWanted: () => boolean): Promise<void> {
  const state = ctx.store.get();
  if (state.screen !== 'chat') return;
  if (raw === BROADCASTS) {
    ctx.update((s) => upsertView({ ...s, openConversation: BROADCASTS }, BROADCASTS, () => ({ unread: 0 })));
    return;
  }
  const problem = nameProblem(raw);
  if (problem) {
    ctx.respond('error', `${JSON.stringify(raw.slice(0, 40))} is not a user name: ${problem}`);
    return;
  }
  const name = normalizeName(raw);
  if (name === ctx.me()) {
    ctx.respond('error', 'There is no conversation with yourself.');
    return;
  }
  const known = findView(state, name) !== undefined;
  if (known) {
    ctx.update((s) => ({ ...s, openConversation: name }));
    markRead(ctx, name);
  }
  let reply;
  try {
    reply = await ctx.request('history:fetch', { with: name });
  } catch (err) {
    if (!known) ctx.respond('error', (err as Error).message);
    return;
  }
  if (!reply.ok) {
    ctx.respond('error', reply.error.message);
    return;
  }
  for (const m of reply.messages) ctx.reads.seen(name, m.seq);
  const wanted = stillWanted();
  ctx.update((s) => {
    const next = upsertView(addChatMessages(s, ctx.me(), reply.messages), name);
    return wanted ? { ...next, openConversation: name } : next;
  });
  if (wanted) markRead(ctx, name);
}
