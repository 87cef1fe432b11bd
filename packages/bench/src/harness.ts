/**
 * The pieces every scenario uses: a target server in its own process (the chat server or the
 * relay), a pool of load-generator processes, and the rows of the report.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { Peer, ready, script, spawnNode } from './procs.js';
import type { ServerChildConfig, ServerStats } from './server-config.js';
import type { ConnectArgs, ConnectResult } from './load-worker.js';
import { sleep } from './stats.js';

export type Kind = 'chat' | 'relay' | 'sio-relay';
export const KINDS: readonly Kind[] = ['chat', 'relay'];

export interface Row {
  /** Scenario name, e.g. 'dm-throughput'. */
  name: string;
  metric: string;
  value: number;
  unit: string;
  /** The same figure for the baseline (the raw ws relay, or as noted). */
  baseline: number | null;
  /** value / baseline. */
  ratio: number | null;
  target?: string;
  note?: string;
  /** Counts and side figures behind the value (for the JSON and the harness's test). */
  detail?: Record<string, number | string | boolean | null>;
}

export interface Options {
  quick: boolean;
  /** A tiny configuration for the harness's own test: checks the plumbing, not speed. */
  tiny: boolean;
  only: string[];
  json: string | null;
  workers: number;
  /** CPU-profile the chat server during each measured phase (V8 profiler through node:inspector). */
  profile: boolean;
  /** Profile the relays too (for comparison). */
  profileRelays: boolean;
  /** Run the chat server under node --cpu-prof (its whole life, set-up included). */
  cpuProf: boolean;
  profileDir: string;
  /** Another build of @tui-chat/server to measure (its dist/index.js), or null for the workspace's. */
  serverModule: string | null;
  /** Another build of @tui-chat/client (its dist folder) for the client scenario, or null. */
  clientDist: string | null;
  /** Stop logging in more users for the capacity step after this long (seconds). */
  connectBudgetSeconds: number;
  /** Spread many connections over 127.0.0.1..9. */
  addresses: string[];
  /** Cluster scenario: a PostgreSQL URL to connect to for CREATE/DROP DATABASE (the run makes its own database). */
  pgUrl: string;
  /** Cluster scenario: the Redis (the run uses a key prefix of its own). */
  redisUrl: string;
  verbose: boolean;
}

export interface Context {
  options: Options;
  workers: Workers;
  log(line: string): void;
  /** Profiles written for targets run with --profile: [label, file]. */
  profiles: [string, string][];
}

export class Target {
  private constructor(
    readonly kind: Kind,
    readonly peer: Peer,
    readonly port: number,
    private readonly profileDir: string | null,
    private readonly profiling: boolean,
    /** When the chat server was listening, on the load processes' clock (performance.timeOrigin + now); null for a relay. */
    readonly listeningAt: number | null = null,
  ) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  static async start(ctx: Context, kind: Kind, config: Omit<ServerChildConfig, 'kind'> = {}): Promise<Target> {
    const execArgv = ['--expose-gc'];
    let profileDir: string | null = null;
    if (ctx.options.cpuProf && kind === 'chat') {
      profileDir = fs.mkdtempSync(path.join(ctx.options.profileDir, 'whole-'));
      execArgv.push('--cpu-prof', `--cpu-prof-dir=${profileDir}`);
    }
    const serverModule = ctx.options.serverModule ?? undefined;
    const child = spawnNode(script('server-child.js'), [JSON.stringify({ kind, serverModule, ...config })], {
      execArgv,
      raiseNofile: true,
    });
    const peer = new Peer(child, `${kind} server`);
    const { port, patches, listeningAt } = await ready<{
      port: number;
      listeningAt?: number | null;
      patches?: { name: string; active: boolean; reason?: string }[];
    }>(peer);
    // Which fenced patches of dependencies the server runs with (their speed is part of the figures).
    if (patches?.length)
      ctx.log(`  ${kind} server patches: ${patches.map((p) => `${p.name} ${p.active ? 'in' : `OUT (${p.reason})`}`).join(', ')}`);
    return new Target(kind, peer, port, profileDir, kind === 'chat' && (ctx.options.profile || ctx.options.cpuProf), listeningAt ?? null);
  }

  stats(): Promise<ServerStats> {
    return this.peer.call<ServerStats>('stats');
  }

  async gcStats(): Promise<ServerStats> {
    await this.peer.call('gc');
    return this.stats();
  }

  /**
   * Creates accounts (chat only; the relay has none). `cost` 'cheap' stores hashes at the tests' cost even on
   * a server running at the real cost, so those users log in cheaply.
   */
  async seed(names: string[], password: string, cost: 'cheap' | 'server' = 'server'): Promise<void> {
    if (this.kind !== 'chat') return;
    for (let i = 0; i < names.length; i += 5000) {
      await this.peer.call('seed', { names: names.slice(i, i + 5000), password, cost });
    }
  }

  /** Starts the V8 CPU profiler in the server (with --profile; the relays too with --profile-relays). */
  async profileStart(ctx: Context): Promise<boolean> {
    if (!ctx.options.profile || (this.kind !== 'chat' && !ctx.options.profileRelays)) return false;
    return this.peer.call<boolean>('profile-start', { intervalUs: 500 });
  }

  /** Stops it and writes `<profileDir>/<label>.cpuprofile`; returns the file. */
  async profileStop(ctx: Context, label: string): Promise<string | null> {
    if (!ctx.options.profile || (this.kind !== 'chat' && !ctx.options.profileRelays)) return null;
    const file = path.join(ctx.options.profileDir, `${label.replace(/[^A-Za-z0-9_.-]+/g, '_')}-${this.kind}.cpuprofile`);
    return this.peer.call<string | null>('profile-stop', { file });
  }

  /** Waits until the server's event loop has been mostly idle for a while (after a connection storm). */
  async quiet(maxMs = 120_000, threshold = 0.05): Promise<void> {
    // A profiler's sampling keeps the loop a little busy: don't wait for silence then.
    if (this.profiling) maxMs = Math.min(maxMs, 10_000);
    const until = Date.now() + maxMs;
    await this.stats();
    let calm = 0;
    while (Date.now() < until && calm < 2) {
      await sleep(250);
      const s = await this.stats();
      calm = s.elu < threshold ? calm + 1 : 0;
    }
  }

  /** Kills the server outright (SIGKILL: no goodbye to its clients, Redis or database); resolves once it is gone. */
  async kill(): Promise<void> {
    const child = this.peer.child;
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGKILL');
    await exited;
  }

  /** Stops the server; returns the CPU profile file when one was written. */
  async stop(): Promise<string | null> {
    await this.peer.stop(30_000);
    if (!this.profileDir) return null;
    const files = fs.readdirSync(this.profileDir).filter((f) => f.endsWith('.cpuprofile'));
    return files.length ? path.join(this.profileDir, files[0]!) : null;
  }
}

export class Workers {
  private constructor(readonly peers: Peer[]) {}

  static async start(n: number): Promise<Workers> {
    const peers = Array.from({ length: n }, (_, i) => {
      const child = spawnNode(script('load-worker.js'), [String(i)], { execArgv: ['--max-old-space-size=4096'], raiseNofile: true });
      return new Peer(child, `load worker ${i}`);
    });
    await Promise.all(peers.map((p) => ready(p)));
    return new Workers(peers);
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
  async each<T>(cmd: string, argsOf: (i: number) => unknown | null, timeoutMs?: number): Promise<T[]> {
    const calls = this.peers.map((p, i) => {
      const args = argsOf(i);
      return args === null ? null : p.call<T>(cmd, args, timeoutMs);
    });
    return (await Promise.all(calls.filter((c): c is Promise<T> => c !== null))) as T[];
  }

  async closeAll(): Promise<void> {
    await Promise.all(this.peers.map((p) => p.call('close-all')));
  }

  async stop(): Promise<void> {
    await Promise.all(this.peers.map((p) => p.stop()));
  }
}

export const PASSWORD = 'bench-password';

/** `count` user names with a prefix: a-z0-9 only, within the 32-character limit. */
export function users(prefix: string, count: number, from = 0): string[] {
  return Array.from({ length: count }, (_, i) => `${prefix}${from + i}`);
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
  const results = await ctx.workers.each<ConnectResult>(
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

/** The loopback source addresses usable on this machine (127.0.0.1 always). */
export function loopbackAddresses(max = 9): string[] {
  const out = ['127.0.0.1'];
  if (os.platform() !== 'linux') return out;
  for (let i = 2; i <= max; i++) out.push(`127.0.0.${i}`);
  return out;
}
