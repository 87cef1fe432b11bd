/**
 * Live messages that skip seqs. In a cluster a node can die between storing a message and handing
 * it to the others, so a later message arrives without it. After a short grace (the missing one may
 * only be late: the ack of one's own message, or another node's delivery), whatever is still missing
 * is fetched with 'sync:since'.
 */
import type { ClientContext } from './context.js';
import { highestSeq } from './messages.js';
import { contiguousSeq, syncSince } from './catch-up.js';
import { markRead } from './sync.js';

export const GAP_GRACE_MS = 300;

/** Called for each live message before it is merged; `heldHighest` is the highest seq held before it. */
export function watchForGap(ctx: ClientContext, other: string, heldHighest: number, seq: number): void {
  // Nothing held: the conversation's history is fetched when it is opened, not here.
  if (heldHighest === 0 || seq <= heldHighest + 1) return;
  const session = ctx.session;
  if (session.gapChecks.has(other)) return;
  session.gapChecks.add(other);
  session.later(GAP_GRACE_MS, () => {
    session.gapChecks.delete(other);
    void fillGap(ctx, other);
  });
}

async function fillGap(ctx: ClientContext, other: string): Promise<void> {
  // Not connected: the catch-up after reconnecting fetches it.
  if (!ctx.connected()) return;
  // Since held as a window away from the newest (window.ts): what lies beyond it is not missing.
  if (ctx.store.get().newer[other] !== undefined) return;
  const list = ctx.store.get().messages[other];
  const through = list ? contiguousSeq(list) : null;
  if (through === null || through >= highestSeq(list)) return;
  await syncSince(ctx, new Map([[other, through]]));
  const s = ctx.store.get();
  if (s.screen === 'chat' && s.openConversation === other) markRead(ctx, other);
}
