/**
 * 'sync:needed': a cluster node died, or the node's Redis was out of reach for a while, so
 * messages stored but not delivered meanwhile never arrive live. Catch up as after a reconnect, after a random pause so that every client of the cluster
 * does not ask at the same moment.
 */
import type { ClientContext } from '../context.js';
import { resync } from '../catch-up.js';

export const SYNC_SPREAD_MS = 2000;

export function onSyncNeeded(ctx: ClientContext): void {
  const session = ctx.session;
  // Several hints in a row make one catch-up.
  if (session.syncScheduled) return;
  session.syncScheduled = true;
  session.later(Math.random() * SYNC_SPREAD_MS, () => {
    session.syncScheduled = false;
    // Not connected: the reconnect's own catch-up covers it.
    if (ctx.connected()) void resync(ctx);
  });
}
