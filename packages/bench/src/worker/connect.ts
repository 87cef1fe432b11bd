/** `connect`: logs users in (or registers them), `concurrency` at a time, and keeps their sockets. */
import { LiteSocket } from '../lite-socket.js';
import { clock, inLanes, sockets, tokens } from './state.js';

export interface ConnectArgs {
  url: string;
  users: string[];
  password: string;
  register?: boolean;
  concurrency: number;
  localAddresses?: string[];
  /** Start no new login after this time (clock()); the rest are counted as not attempted. */
  deadline?: number;
  /** Keep each session's token (from 'session:ready') for `move` and `failover-arm`. */
  keepTokens?: boolean;
}

export interface ConnectResult {
  connected: number;
  failed: number;
  /** Users not tried because the deadline passed. */
  skipped: number;
  firstError: string | null;
  start: number;
  end: number;
}

export async function connectAll(args: ConnectArgs): Promise<ConnectResult> {
  const start = clock();
  const t = await inLanes(
    args.users,
    args.concurrency,
    async (user, i) => {
      const localAddress = args.localAddresses?.length ? args.localAddresses[i % args.localAddresses.length] : undefined;
      const s = await LiteSocket.connect({
        url: args.url,
        auth: { user, password: args.password, ...(args.register ? { register: true } : {}) },
        localAddress,
        readyEvent: 'session:ready',
        keepReady: args.keepTokens,
        timeoutMs: 120_000,
      });
      sockets.set(user, s);
      if (args.keepTokens) tokens.set(user, { token: s.readyData!.token, localAddress });
    },
    () => args.deadline !== undefined && clock() > args.deadline,
  );
  return { connected: t.done, failed: t.failed, skipped: t.skipped, firstError: t.firstError, start, end: clock() };
}
