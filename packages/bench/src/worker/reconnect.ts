/** A user's token reconnect, as the real client makes it; `move` and the failover use it. */
import { isRetryable } from '@tui-chat/protocol';
import { ConnectError, LiteSocket } from '../lite-socket.js';
import { clock, describe, sockets, tokens, wait, workerId } from './state.js';

/** Wait before trying again after a transient failure (the real client's first backoff step). */
const RETRY_MS = 1000;

export interface Reconnected {
  /** clock() when its 'session:ready' came. */
  readyAt: number;
  retries: number;
}

/**
 * Connects `user` to `url` with its session token (a socket.io handshake with auth {user, token}),
 * trying again after RETRY_MS on a transient failure (unreachable, timed out, or a refusal the
 * real client retries: the protocol's RETRYABLE_CODES) until `until`; a lasting refusal
 * (session_expired, ...) throws at once. `stillWanted` false (the run gave up) closes the new
 * socket instead of keeping it.
 */
export async function reconnect(
  user: string,
  url: string,
  until: number,
  onRetry: () => void,
  stillWanted: () => boolean = () => true,
): Promise<Reconnected> {
  const t = tokens.get(user);
  if (!t) throw new Error(`worker ${workerId}: no session token for ${user}`);
  let retries = 0;
  for (;;) {
    try {
      const s = await LiteSocket.connect({
        url,
        auth: { user, token: t.token },
        localAddress: t.localAddress,
        readyEvent: 'session:ready',
        keepReady: true,
        timeoutMs: Math.max(1000, Math.min(30_000, until - clock())),
      });
      const readyAt = clock();
      if (!stillWanted()) {
        s.close();
        throw new Error('given up');
      }
      t.token = s.readyData!.token;
      sockets.set(user, s);
      return { readyAt, retries };
    } catch (err) {
      const refusal = err instanceof ConnectError ? err.refusal : undefined;
      if (refusal?.code !== undefined && !isRetryable(refusal.code)) throw new Error(describe(err));
      if (clock() + RETRY_MS > until || !stillWanted()) throw new Error(`${describe(err)} (gave up after ${retries} retries)`);
      retries++;
      onRetry();
      await wait(Math.max(RETRY_MS, (refusal?.retryAfter ?? 0) * 1000));
    }
  }
}
