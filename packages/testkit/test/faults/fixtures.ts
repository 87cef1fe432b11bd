/**
 * Fault-test fixtures: the server as a real child process (`tui-chat serve`, restartable on the
 * same port and database file, killable with any signal), a TCP proxy that can cut or silence a
 * client's connection, real ChatClient instances, and waiting on state instead of sleeping.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { afterEach } from '@jest/globals';
import { ChatClient, type ChatClientOptions, type ClientState } from '@tui-chat/client';
import { waitFor as waitForState } from '@tui-chat/testkit';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '../../../..');
const CLI = path.join(repo, 'packages/cli/bin/tui-chat.js');
const CLI_BUILT = path.join(repo, 'packages/cli/dist/main.js');

/** A free TCP port on 127.0.0.1 (the server is restarted on it, so it is chosen once). */
export async function freePort(): Promise<number> {
  const srv = net.createServer();
  await new Promise<void>((resolve) => srv.listen(0, '127.0.0.1', resolve));
  const { port } = srv.address() as net.AddressInfo;
  await new Promise<void>((resolve) => srv.close(() => resolve()));
  return port;
}

export function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'tui-chat-faults-'));
}

/** The folders faultPlace() made for the running test, removed after it (cleanUpAfterEach). */
const placed: string[] = [];

/**
 * Where a fault test's server lives: a folder of its own (removed after the test) with the
 * database file's path, and a free port (kept across restarts) with the server's URL on it.
 */
export async function faultPlace(): Promise<{ db: string; port: number; url: string }> {
  const dir = tempDir();
  placed.push(dir);
  const port = await freePort();
  return { db: path.join(dir, 'chat.db'), port, url: `http://127.0.0.1:${port}` };
}

/**
 * The tear-down every fault suite needs, registered once per file: after each test its `clients`
 * are closed, `more` runs (a proxy to close), every server process is killed, and the folders
 * faultPlace() made are removed.
 */
export function cleanUpAfterEach(clients: ChatClient[], more?: () => Promise<void>): void {
  afterEach(async () => {
    for (const c of clients.splice(0)) c.close();
    await more?.();
    await killAllServers();
    for (const dir of placed.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
  });
}

export interface ServerSpec {
  port: number;
  /** A SQLite file, or a postgres:// URL. */
  db: string;
  /** More `tui-chat serve` flags (--redis ... for a cluster node). */
  args?: string[];
  /** A short keep-alive (`--ping-interval`/`--ping-timeout`), so a frozen server is noticed quickly. */
  pingIntervalMs?: number;
  pingTimeoutMs?: number;
}

/** One run of the server in a child process. */
export class ServerProcess {
  readonly stdout: string[] = [];
  readonly stderr: string[] = [];
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  private stopped = false;

  private constructor(
    readonly child: ChildProcess,
    readonly spec: ServerSpec,
  ) {
    this.exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
    child.stdout!.setEncoding('utf8').on('data', (d: string) => this.stdout.push(d));
    child.stderr!.setEncoding('utf8').on('data', (d: string) => this.stderr.push(d));
  }

  /** Starts `tui-chat serve` and waits for its listening line. */
  static async start(spec: ServerSpec): Promise<ServerProcess> {
    if (!fs.existsSync(CLI_BUILT)) throw new Error(`${CLI_BUILT} is missing: build first (npm run build, or npm test which builds).`);
    const args = [CLI, 'serve', '--port', String(spec.port), '--db', spec.db, '--log-level', 'warn'];
    if (spec.pingIntervalMs !== undefined) args.push('--ping-interval', String(spec.pingIntervalMs));
    if (spec.pingTimeoutMs !== undefined) args.push('--ping-timeout', String(spec.pingTimeoutMs));
    args.push(...(spec.args ?? []));
    const env: NodeJS.ProcessEnv = { ...process.env, TUI_CHAT_PASSWORD_COST: 'low' };
    delete env.NODE_OPTIONS; // jest's flags are not the server's
    const child = spawn(process.execPath, args, { cwd: repo, env, stdio: ['ignore', 'pipe', 'pipe'] });
    const server = new ServerProcess(child, spec);
    live.add(server);
    void server.exited.then(() => live.delete(server));
    await server.listening();
    return server;
  }

  private listening(): Promise<void> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => fail('no listening line within 20 s'), 20_000);
      const onData = (): void => {
        if (/tui-chat server listening on \S+:\d+/.test(this.stdout.join(''))) {
          clearTimeout(timer);
          this.child.stdout!.off('data', onData);
          resolve();
        }
      };
      const fail = (why: string): void => {
        clearTimeout(timer);
        reject(new Error(`server did not start (${why}); stderr: ${this.stderr.join('').slice(-2000)}`));
      };
      this.child.stdout!.on('data', onData);
      void this.exited.then(({ code, signal }) => fail(`exited with ${code ?? signal}`));
    });
  }

  get pid(): number {
    return this.child.pid!;
  }

  /** Sends `signal`; for SIGKILL and SIGTERM waits for the exit. */
  async signal(signal: NodeJS.Signals): Promise<{ code: number | null; signal: NodeJS.Signals | null } | null> {
    if (signal === 'SIGSTOP') this.stopped = true;
    if (signal === 'SIGCONT') this.stopped = false;
    this.child.kill(signal);
    if (signal === 'SIGKILL' || signal === 'SIGTERM') return this.exited;
    return null;
  }

  /** Ends it for good, whatever state it is in. */
  async kill(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    if (this.stopped) this.child.kill('SIGCONT');
    this.child.kill('SIGKILL');
    await this.exited;
  }
}

const live = new Set<ServerProcess>();
/** Kills every server process still running (for afterEach / afterAll). */
export async function killAllServers(): Promise<void> {
  await Promise.all([...live].map((s) => s.kill()));
}

/** A TCP proxy in front of the server, to cut or silence one client's connection. */
export class TcpProxy {
  private readonly server: net.Server;
  private readonly pairs = new Set<{ a: net.Socket; b: net.Socket }>();
  private mode: 'open' | 'refuse' | 'blackhole' = 'open';
  port = 0;

  constructor(private readonly target: number) {
    this.server = net.createServer((a) => {
      if (this.mode === 'refuse') {
        a.destroy();
        return;
      }
      const b = net.connect(this.target, '127.0.0.1');
      const pair = { a, b };
      this.pairs.add(pair);
      // Data flows through a check, so 'blackhole' can drop it without closing anything.
      a.on('data', (d) => {
        if (this.mode !== 'blackhole') b.write(d);
      });
      b.on('data', (d) => {
        if (this.mode !== 'blackhole') a.write(d);
      });
      const close = (): void => {
        a.destroy();
        b.destroy();
        this.pairs.delete(pair);
      };
      a.on('close', close).on('error', close);
      b.on('close', close).on('error', close);
    });
  }

  async listen(): Promise<number> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as net.AddressInfo).port;
    return this.port;
  }

  get connections(): number {
    return this.pairs.size;
  }

  /** Destroys every connection through it; with `refuse`, new ones are closed at once until restore(). */
  cut(refuse: boolean): void {
    if (refuse) this.mode = 'refuse';
    for (const { a, b } of [...this.pairs]) {
      a.destroy();
      b.destroy();
    }
    this.pairs.clear();
  }

  /** Drops everything in both directions without closing anything: a dead network, not a closed socket. */
  blackhole(): void {
    this.mode = 'blackhole';
  }

  restore(): void {
    this.mode = 'open';
  }

  async close(): Promise<void> {
    this.cut(true);
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

/** Client settings for fault tests: quick reconnects, a connect timeout for a frozen server. */
export function faultClient(url: string, extra: Partial<ChatClientOptions> = {}): ChatClient {
  return new ChatClient({
    url,
    display: url.replace(/^http:\/\//, ''),
    socketOptions: { reconnectionDelay: 50, reconnectionDelayMax: 250, randomizationFactor: 0.5, timeout: 1500 },
    requestTimeoutMs: 2000,
    ...extra,
  });
}

export async function loginClient(client: ChatClient, user: string, register: boolean): Promise<ChatClient> {
  const ok = await client.login({ user, password: 'secret-pw', register });
  if (!ok) throw new Error(`login of ${user} failed: ${client.getState().loginError}`);
  return client;
}

/** As the client tests' waitFor, with the longer wait that processes being killed and restarted need. */
export function waitFor(
  client: ChatClient,
  predicate: (state: ClientState) => boolean,
  what: string,
  timeoutMs = 15_000,
): Promise<ClientState> {
  return waitForState(client, predicate, what, timeoutMs);
}

/** Resolves once `condition()` holds, checked now and after every state change of any of `clients`. */
export function waitForAny(clients: readonly ChatClient[], condition: () => boolean, what: string, timeoutMs = 15_000): Promise<void> {
  if (condition()) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const unsubscribes = clients.map((c) =>
      c.subscribe(() => {
        if (!condition()) return;
        done();
        resolve();
      }),
    );
    const done = (): void => {
      clearTimeout(timer);
      for (const u of unsubscribes) u();
    };
    const timer = setTimeout(() => {
      done();
      reject(new Error(`timed out waiting for ${what}`));
    }, timeoutMs);
  });
}

/** Messages shown twice in a client's state (same key, or same seq, within a conversation). */
export function shownTwice(state: ClientState): string[] {
  const twice: string[] = [];
  for (const [name, list] of Object.entries(state.messages)) {
    const keys = new Set<string>();
    const seqs = new Set<number>();
    for (const m of list) {
      if (keys.has(m.key) || (m.seq !== undefined && seqs.has(m.seq))) twice.push(`${name}: ${m.text}`);
      keys.add(m.key);
      if (m.seq !== undefined) seqs.add(m.seq);
    }
  }
  return twice;
}

export interface StoredRow {
  conversation: string;
  seq: number;
  sender: string;
  recipient: string;
  body: string;
  client_id: string;
}

/** Every stored message, read with a read-only connection of its own. */
export function storedMessages(db: string): StoredRow[] {
  const conn = new Database(db, { readonly: true, fileMustExist: true });
  try {
    return conn
      .prepare<[], StoredRow>('SELECT conversation, seq, sender, recipient, body, client_id FROM messages ORDER BY conversation, seq')
      .all();
  } finally {
    conn.close();
  }
}
