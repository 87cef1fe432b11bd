/** `move`: a planned move between cluster nodes, every user leaving on purpose and reconnecting with its token. */
import { reconnect } from './reconnect.js';
import { clock, sockets, tokens } from './state.js';

export interface MoveArgs {
  /** The node to move to. */
  url: string;
  timeoutMs: number;
}

export interface MoveResult {
  users: number;
  /** clock() just before the first socket was closed. */
  start: number;
  /** clock() of each user's 'session:ready' on the new node. */
  readyAt: Float64Array;
  failed: number;
  retries: number;
  firstError: string | null;
}

/**
 * Every user of this worker with a token leaves its node on purpose (closes its socket) and at
 * once connects to `url` with its token, all at the same time.
 */
export async function move(args: MoveArgs): Promise<MoveResult> {
  const names = [...tokens.keys()];
  const until = clock() + args.timeoutMs;
  const readyAt: number[] = [];
  let failed = 0;
  let retries = 0;
  let firstError: string | null = null;
  const start = clock();
  await Promise.all(
    names.map(async (user) => {
      sockets.get(user)?.close();
      try {
        readyAt.push((await reconnect(user, args.url, until, () => retries++)).readyAt);
      } catch (err) {
        failed++;
        firstError ??= `${user}: ${(err as Error).message}`;
      }
    }),
  );
  return { users: names.length, start, readyAt: Float64Array.from(readyAt), failed, retries, firstError };
}
