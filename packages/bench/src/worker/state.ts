/**
 * What a load generator process holds between commands: its simulated users' sockets, their
 * session tokens, and the helpers every command shares.
 */
import { performance } from 'node:perf_hooks';
import type { ChatError } from '@tui-chat/protocol';
import { ConnectError, type LiteSocket } from '../lite-socket.js';

/** Milliseconds on a clock shared by every process on this machine. */
export const clock = (): number => performance.timeOrigin + performance.now();

/** This worker's number (its first argument), in client ids and errors. */
export const workerId = process.argv[2] ?? '0';

export const sockets = new Map<string, LiteSocket>();
/** Session tokens from 'session:ready' (users connected with `keepTokens`), for token reconnects. */
export const tokens = new Map<string, { token: string; localAddress?: string }>();

let clientSeq = 0;
/** A message's clientId, unique across workers. */
export const clientId = (): string => `b${workerId}x${(++clientSeq).toString(36).padStart(7, '0')}`;

export function padText(prefix: string, bytes: number): string {
  return prefix.length >= bytes ? prefix : prefix + ' ' + 'x'.repeat(bytes - prefix.length - 1);
}

export function describe(err: unknown): string {
  if (err instanceof ConnectError && err.data) return `${err.message} ${JSON.stringify(err.data)}`;
  return err instanceof Error ? err.message : String(err);
}

/** A refused request's error as one line. */
export const refusalText = (error: Partial<ChatError> | undefined): string => `${error?.code}: ${error?.message}`;

export function socketOf(user: string): LiteSocket {
  const s = sockets.get(user);
  if (!s) throw new Error(`worker ${workerId}: ${user} is not connected`);
  return s;
}

export const wait = (ms: number): Promise<void> => new Promise<void>((resolve) => setTimeout(resolve, Math.max(0, ms)));

/** `fn` made to run at most once (a run's end, reached from its last receipt or its timeout). */
export function once(fn: () => void): () => void {
  let done = false;
  return () => {
    if (done) return;
    done = true;
    fn();
  };
}

export interface LaneTally {
  /** Items whose work finished. */
  done: number;
  /** Items whose work threw. */
  failed: number;
  firstError: string | null;
  /** Items not started because `stop()` said so. */
  skipped: number;
}

/**
 * Runs `work` for each item, `concurrency` at a time (logins: a few lanes, each waiting for its
 * session before the next), and counts what finished and what threw; `stop()` true ends the lanes.
 */
export async function inLanes<T>(
  items: readonly T[],
  concurrency: number,
  work: (item: T, i: number) => Promise<void>,
  stop: () => boolean = () => false,
): Promise<LaneTally> {
  const t: LaneTally = { done: 0, failed: 0, firstError: null, skipped: 0 };
  let next = 0;
  const lane = async () => {
    while (next < items.length) {
      if (stop()) return;
      const i = next++;
      try {
        await work(items[i]!, i);
        t.done++;
      } catch (err) {
        t.failed++;
        t.firstError ??= describe(err);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, concurrency) }, lane));
  t.skipped = items.length - next;
  return t;
}
