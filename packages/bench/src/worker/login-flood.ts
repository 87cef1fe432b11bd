/** `login-flood`: logins one after another on a few lanes, each waiting for its session and leaving. */
import { LiteSocket } from '../lite-socket.js';
import { clock, describe } from './state.js';

export interface FloodArgs {
  url: string;
  users: string[];
  password: string;
  concurrency: number;
  durationMs: number;
}

export interface FloodResult {
  logins: number;
  failed: number;
  firstError: string | null;
  seconds: number;
  /** Each login's time to 'session:ready', ms. */
  times: Float64Array;
}

/** Logs in, waits for the session, disconnects, again, on `concurrency` lanes until the time is up. */
export async function loginFlood(args: FloodArgs): Promise<FloodResult> {
  const start = clock();
  const stopAt = start + args.durationMs;
  let logins = 0;
  let failed = 0;
  let firstError: string | null = null;
  const times: number[] = [];
  let next = 0;
  const lane = async () => {
    while (clock() < stopAt) {
      const user = args.users[next++ % args.users.length]!;
      const t = clock();
      try {
        const s = await LiteSocket.connect({
          url: args.url,
          auth: { user, password: args.password },
          readyEvent: 'session:ready',
          timeoutMs: 120_000,
        });
        logins++;
        times.push(clock() - t);
        await s.closeAndWait();
      } catch (err) {
        failed++;
        firstError ??= describe(err);
      }
    }
  };
  await Promise.all(Array.from({ length: args.concurrency }, lane));
  return { logins, failed, firstError, seconds: (clock() - start) / 1000, times: Float64Array.from(times) };
}
