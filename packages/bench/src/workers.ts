/**
 * The load side of a run: the pool of load generator processes (load-worker.ts), each called
 * through its typed command map, and logging users in on them.
 */
import { performance } from 'node:perf_hooks';
import { PASSWORD, type Context, type Target } from './harness.js';
import { Peer, ready, script, spawnNode } from './procs.js';
import type { ConnectArgs } from './worker/connect.js';
import type { WorkerArgs, WorkerCommand, WorkerResult } from './worker/commands.js';

/** One load generator process; its commands and their types come from worker/commands.ts. */
export class WorkerPeer {
  constructor(readonly peer: Peer) {}

  get pid(): number {
    return this.peer.pid;
  }

  call<C extends WorkerCommand>(cmd: C, args: WorkerArgs<C>, timeoutMs?: number): Promise<WorkerResult<C>> {
    return this.peer.call<WorkerResult<C>>(cmd, args, timeoutMs);
  }

  /** Resolves with the first `event` the worker reports whose data satisfies `match`. */
  once<T>(event: string, match: (data: T) => boolean, timeoutMs?: number): Promise<T> {
    return this.peer.once<T>(event, match, timeoutMs);
  }

  stop(): Promise<void> {
    return this.peer.stop();
  }
}

/** The pool of load generator processes. */
export class Workers {
  private constructor(readonly peers: WorkerPeer[]) {}

  static async start(n: number): Promise<Workers> {
    const peers = Array.from({ length: n }, (_, i) => {
      const child = spawnNode(script('load-worker.js'), [String(i)], { execArgv: ['--max-old-space-size=4096'], raiseNofile: true });
      return new Peer(child, `load worker ${i}`);
    });
    await Promise.all(peers.map((p) => ready(p)));
    return new Workers(peers.map((p) => new WorkerPeer(p)));
  }

  get size(): number {
    return this.peers.length;
  }

  /** Round-robin split of `items` over the workers. */
  split<T>(items: readonly T[]): T[][] {
    const parts: T[][] = this.peers.map(() => []);
    items.forEach((item, i) => parts[i % parts.length]!.push(item));
    return parts;
  }

  /** Calls `cmd` on every worker with its own args (skipping workers whose args are null). */
  async each<C extends WorkerCommand>(cmd: C, argsOf: (i: number) => WorkerArgs<C> | null, timeoutMs?: number): Promise<WorkerResult<C>[]> {
    const calls = this.peers.map((p, i) => {
      const args = argsOf(i);
      return args === null ? null : p.call(cmd, args, timeoutMs);
    });
    return Promise.all(calls.filter((c): c is Promise<WorkerResult<C>> => c !== null));
  }

  async closeAll(): Promise<void> {
    await Promise.all(this.peers.map((p) => p.call('close-all', {})));
  }

  async stop(): Promise<void> {
    await Promise.all(this.peers.map((p) => p.stop()));
  }
}

export interface Connected {
  connected: number;
  failed: number;
  /** Not tried: the deadline passed first. */
  skipped: number;
  firstError: string | null;
  seconds: number;
  perSecond: number;
}

/**
 * Logs in `userSets[i]` on worker i (creating the accounts first on the chat server) and waits
 * for every session. Throws when any login failed.
 */
export async function connect(
  ctx: Context,
  target: Target,
  userSets: string[][],
  options: {
    concurrency?: number;
    spreadAddresses?: boolean;
    allowFailures?: boolean;
    seeded?: boolean;
    budgetMs?: number;
    keepTokens?: boolean;
  } = {},
): Promise<Connected> {
  const deadline = options.budgetMs !== undefined ? performance.timeOrigin + performance.now() + options.budgetMs : undefined;
  if (!options.seeded) await target.seed(userSets.flat(), PASSWORD);
  const results = await ctx.workers.each(
    'connect',
    (i) => {
      const set = userSets[i];
      if (!set || set.length === 0) return null;
      const args: ConnectArgs = {
        url: target.url,
        users: set,
        password: PASSWORD,
        concurrency: options.concurrency ?? 16,
        localAddresses: options.spreadAddresses ? ctx.options.addresses : undefined,
        deadline,
        keepTokens: options.keepTokens,
      };
      return args;
    },
    options.budgetMs !== undefined ? options.budgetMs + 300_000 : undefined,
  );
  const connected = results.reduce((n, r) => n + r.connected, 0);
  const failed = results.reduce((n, r) => n + r.failed, 0);
  const skipped = results.reduce((n, r) => n + r.skipped, 0);
  const firstError = results.find((r) => r.firstError)?.firstError ?? null;
  const start = Math.min(...results.map((r) => r.start));
  const end = Math.max(...results.map((r) => r.end));
  const seconds = (end - start) / 1000;
  if (failed > 0 && !options.allowFailures) {
    throw new Error(`${target.kind}: ${failed} of ${connected + failed} logins failed; first: ${firstError}`);
  }
  return { connected, failed, skipped, firstError, seconds, perSecond: connected / seconds };
}
