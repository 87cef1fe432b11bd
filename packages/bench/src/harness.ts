/**
 * The pieces every scenario uses: a target server in its own process (the chat server or the
 * relay), a pool of load-generator processes, and the rows of the report.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SERVER_NODE_FLAGS } from '@tui-chat/protocol/server-config';
import { Peer, ready, script, spawnNode } from './procs.js';
import type { IndexCatchUp, ServerChildConfig, ServerStats } from './server-config.js';
import type { Workers } from './workers.js';
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
    // Every server (ours and the relays) with the flags deploy/tui-chat.service runs ours with.
    const execArgv = ['--expose-gc', ...SERVER_NODE_FLAGS];
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

  /**
   * Brings the search index up to date (SQLite indexes behind the messages) and says what that
   * cost: messages it was behind, seconds, server CPU-seconds. Null for the relays and PostgreSQL.
   */
  indexCatchUp(): Promise<IndexCatchUp | null> {
    return this.kind === 'chat' ? this.peer.call<IndexCatchUp | null>('index-catch-up') : Promise.resolve(null);
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

export const PASSWORD = 'bench-password';

/** `count` user names with a prefix: a-z0-9 only, within the 32-character limit. */
export function users(prefix: string, count: number, from = 0): string[] {
  return Array.from({ length: count }, (_, i) => `${prefix}${from + i}`);
}

/** The loopback source addresses usable on this machine (127.0.0.1 always). */
export function loopbackAddresses(max = 9): string[] {
  const out = ['127.0.0.1'];
  if (os.platform() !== 'linux') return out;
  for (let i = 2; i <= max; i++) out.push(`127.0.0.${i}`);
  return out;
}
