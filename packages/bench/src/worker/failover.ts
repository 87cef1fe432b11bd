/** `failover-arm` and `failover-wait`: users reconnecting to another node when theirs is killed. */
import { reconnect } from './reconnect.js';
import { clock, sockets, tokens, wait, workerId } from './state.js';

/** The failover in progress: armed sockets reconnect to `url` when they lose their connection. */
interface Failover {
  armed: boolean;
  url: string;
  users: number;
  lostAt: number[];
  readyAt: number[];
  failed: number;
  retries: number;
  firstError: string | null;
  /** When a client first heard 'sync:needed' (node_lost) on the new node, if one did. */
  syncNeededAt: number | null;
  settled(): void;
}
let failover: Failover | null = null;

/** Disarms the failover in progress (a late reconnect is closed, not kept); `close-all` calls it. */
export function disarmFailover(): void {
  if (failover) failover.armed = false;
  failover = null;
}

/**
 * Arms every user of this worker with a token: when its connection is lost (its node killed),
 * it reconnects at once to `url` with its token, as the real client does with an address list.
 */
export function failoverArm(args: { url: string; timeoutMs: number }): { armed: number } {
  const f: Failover = {
    armed: true,
    url: args.url,
    users: 0,
    lostAt: [],
    readyAt: [],
    failed: 0,
    retries: 0,
    firstError: null,
    syncNeededAt: null,
    settled: () => undefined,
  };
  failover = f;
  const wanted = () => f.armed && failover === f;
  for (const user of tokens.keys()) {
    const s = sockets.get(user);
    if (!s) continue;
    f.users++;
    s.onClose(() => {
      if (!wanted()) return;
      const lost = clock();
      f.lostAt.push(lost);
      // The give-up time counts from the loss (the parent's timeout bounds it too).
      reconnect(user, f.url, lost + args.timeoutMs, () => f.retries++, wanted).then(
        (r) => {
          if (!wanted()) return;
          f.readyAt.push(r.readyAt);
          sockets.get(user)?.count('sync:needed', () => void (f.syncNeededAt ??= clock()));
          f.settled();
        },
        (err: unknown) => {
          if (!wanted()) return;
          f.failed++;
          f.firstError ??= `${user}: ${(err as Error).message}`;
          f.settled();
        },
      );
    });
  }
  return { armed: f.users };
}

export interface FailoverResult {
  users: number;
  lostAt: Float64Array;
  readyAt: Float64Array;
  failed: number;
  retries: number;
  firstError: string | null;
  syncNeededAt: number | null;
}

/**
 * Waits until every armed user is back or failed, or `timeoutMs` passed; then disarms (a late
 * reconnect is closed, not kept) and reports. Users neither back nor failed never came back.
 * `syncGraceMs` more is waited after the last is back, for 'sync:needed'.
 */
export async function failoverWait(args: { timeoutMs: number; syncGraceMs?: number }): Promise<FailoverResult> {
  const f = failover;
  if (!f) throw new Error(`worker ${workerId}: failover-wait before failover-arm`);
  await new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, args.timeoutMs);
    f.settled = () => {
      if (f.readyAt.length + f.failed < f.users) return;
      clearTimeout(timer);
      resolve();
    };
    f.settled();
  });
  if (args.syncGraceMs && f.syncNeededAt === null) {
    const end = clock() + args.syncGraceMs;
    while (f.syncNeededAt === null && clock() < end) await wait(50);
  }
  f.armed = false;
  return {
    users: f.users,
    lostAt: Float64Array.from(f.lostAt),
    readyAt: Float64Array.from(f.readyAt),
    failed: f.failed,
    retries: f.retries,
    firstError: f.firstError,
    syncNeededAt: f.syncNeededAt,
  };
}
