/** `connect`: logs users in (or registers them), `concurrency` at a time, and keeps their sockets. */
import { LiteSocket } from '../lite-socket.js';
import { clock, describe, sockets, tokens } from './state.js';

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
  let next = 0;
  let connected = 0;
  let failed = 0;
  let firstError: string | null = null;
  const lane = async () => {
    while (next < args.users.length) {
      if (args.deadline !== undefined && clock() > args.deadline) return;
      const i = next++;
      const user = args.users[i]!;
      const localAddress = args.localAddresses?.length ? args.localAddresses[i % args.localAddresses.length] : undefined;
      try {
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
        connected++;
      } catch (err) {
        failed++;
        firstError ??= describe(err);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, args.concurrency) }, lane));
  return { connected, failed, skipped: args.users.length - next, firstError, start, end: clock() };
}
