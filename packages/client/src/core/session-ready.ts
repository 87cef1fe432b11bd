/**
 * 'session:ready': the chat screen shows; a first login loads the conversations, who is online
 * and the broadcasts, then sends what an earlier run left unsent; a reconnect (or a move to
 * another node of a cluster) says so, resends what was not acknowledged and catches up.
 */
import type { SessionInfo } from '@tui-chat/protocol';
import type { ClientContext } from './context.js';
import { plural } from './format.js';
import { resendOutbox, restoreOutbox } from './send.js';
import { restoreAway } from './away.js';
import { resync } from './catch-up.js';
import { loadBroadcasts, loadConversations, loadOnline, loadPeople } from './sync.js';

/** `loggedIn` is called once a first login's lists are loaded. */
export async function sessionReady(ctx: ClientContext, info: SessionInfo, first: boolean, loggedIn: () => void): Promise<void> {
  ctx.update((s) => ({
    ...s,
    screen: 'chat',
    connection: 'connected',
    connectionDetail: null,
    reconnectAt: null,
    user: info.user,
    loginError: null,
    idleLogoutAt: null,
  }));
  const session = ctx.session;
  if (first) {
    session.readyOn = ctx.store.get().server;
    // Who is on the server is for completion only: the login does not wait for it.
    void loadPeople(ctx);
    await Promise.all([loadConversations(ctx), loadOnline(ctx), loadBroadcasts(ctx)]);
    loggedIn();
    await sendLeftUnsent(ctx);
    return;
  }
  // Moved to another node of a cluster: say where, so the status bar's change is not a mystery.
  const on = ctx.store.get().server;
  const lost = session.readyOn;
  session.readyOn = on;
  ctx.respond('notice', lost !== null && lost !== on ? `Connection restored on ${on} (${lost} was lost).` : 'Connection restored.');
  const [resent] = await Promise.all([resendOutbox(ctx), resync(ctx), restoreAway(ctx)]);
  if (resent > 0) ctx.respond('info', `resent ${plural(resent, 'unacknowledged message')}`);
}

/** What an earlier run of this user on this server left unsent goes out now, in order. */
async function sendLeftUnsent(ctx: ClientContext): Promise<void> {
  const file = ctx.session.file;
  if (!file) return;
  const { entries, problems } = file.claimOrphans();
  for (const problem of problems) ctx.respond('error', problem);
  if (entries.length > 0) await restoreOutbox(ctx, entries);
}
