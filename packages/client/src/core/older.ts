/**
 * Older pages of a conversation, loaded when the view reaches the top of what is held: the page
 * before the oldest message held, until the start. state.paging says while one loads and when the
 * start is reached.
 */
import { quietly } from './ask.js';
import type { ClientContext } from './context.js';
import { addMessages } from './conversations.js';
import { fromBroadcast, lowestSeq } from './messages.js';
import { addChatMessages } from './sync.js';
import { BROADCASTS, type ClientState, type Paging } from './types.js';

export function withPaging(state: ClientState, name: string, paging: Paging | null): ClientState {
  if ((state.paging[name] ?? null) === paging) return state;
  const next = { ...state.paging };
  if (paging === null) delete next[name];
  else next[name] = paging;
  return { ...state, paging: next };
}

export async function loadOlder(ctx: ClientContext, name: string): Promise<void> {
  const state = ctx.store.get();
  if (state.screen !== 'chat' || state.paging[name] !== undefined) return;
  const lowest = lowestSeq(state.messages[name]);
  if (lowest === 1 && name !== BROADCASTS) {
    ctx.update((s) => withPaging(s, name, 'start'));
    return;
  }
  ctx.update((s) => withPaging(s, name, 'loading'));
  let reached = false;
  let ok = false;
  try {
    const before = lowest === null ? {} : { before: lowest };
    if (name === BROADCASTS) {
      const reply = await quietly(ctx, 'broadcasts:fetch', before);
      if (reply) {
        ok = true;
        reached = reply.before === null;
        const me = ctx.me();
        ctx.update((s) =>
          addMessages(
            s,
            BROADCASTS,
            reply.messages.map((b) => fromBroadcast(b, me)),
          ),
        );
      }
    } else {
      const reply = await quietly(ctx, 'history:fetch', { with: name, ...before });
      // Unless the list was replaced meanwhile (a search hit's window, jump.ts): it is not the page before that one.
      if (reply && lowestSeq(ctx.store.get().messages[name]) === lowest) {
        ok = true;
        reached = reply.before === null;
        for (const m of reply.messages) ctx.reads.seen(name, m.seq);
        ctx.update((s) => addChatMessages(s, ctx.me(), reply.messages));
      }
    }
  } finally {
    // Not answered (disconnected, refused): the next scroll to the top tries again.
    ctx.update((s) => withPaging(s, name, ok && reached ? 'start' : null));
  }
}
