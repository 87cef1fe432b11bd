/**
 * Child processes of the harness: spawning node scripts with an IPC channel, calling them,
 * and making sure none is left behind (normal exit, an error, Ctrl+C or SIGTERM).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));

/** The compiled script next to this file, e.g. `script('server-child.js')`. */
export const script = (name: string): string => path.join(here, name);

const children = new Set<ChildProcess>();
let cleanupInstalled = false;
let runDir: string | null = null;
/** Asynchronous clean-ups (a database to drop, Redis keys to delete) still owed on Ctrl+C/SIGTERM. */
const interruptCleanups = new Set<() => Promise<unknown>>();
let interrupted = false;

/** True once Ctrl+C/SIGTERM/SIGHUP arrived: the signal handler ends the process after its clean-ups. */
export const wasInterrupted = (): boolean => interrupted;

/**
 * Registers `fn` to run on Ctrl+C/SIGTERM/SIGHUP after every child is killed (bounded to 10 s;
 * a second signal leaves at once). Returns the unregistration, for when the work cleaned up itself.
 * `fn` may also be called by its owner: make it idempotent.
 */
export function onInterrupt(fn: () => Promise<unknown>): () => void {
  installCleanup();
  interruptCleanups.add(fn);
  return () => void interruptCleanups.delete(fn);
}

/**
 * A temporary folder for this run (databases, ...), passed to children as TUI_CHAT_BENCH_TMP and
 * removed by killAll, so not even a child killed mid-write leaves files behind.
 */
export function makeRunDir(): string {
  runDir ??= fs.mkdtempSync(path.join(os.tmpdir(), 'tui-chat-bench-run-'));
  process.env.TUI_CHAT_BENCH_TMP = runDir;
  return runDir;
}

/** Kills every child still running and removes the run's temporary folder. Safe to call more than once. */
export function killAll(): void {
  for (const child of children) {
    if (child.exitCode === null && child.signalCode === null) {
      try {
        child.kill('SIGKILL');
      } catch {
        // Already gone.
      }
    }
  }
  children.clear();
  if (runDir) {
    try {
      fs.rmSync(runDir, { recursive: true, force: true });
    } catch {
      // Best effort.
    }
    runDir = null;
  }
}

function installCleanup(): void {
  if (cleanupInstalled) return;
  cleanupInstalled = true;
  process.on('exit', killAll);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.on(signal, () => {
      const code = signal === 'SIGINT' ? 130 : 143;
      if (interrupted) process.exit(code); // a second Ctrl+C: leave now
      interrupted = true;
      killAll();
      process.stderr.write(`\nbench: ${signal}, children stopped\n`);
      const pending = [...interruptCleanups].map((fn) => fn().catch(() => undefined));
      interruptCleanups.clear();
      if (pending.length === 0) process.exit(code);
      const timer = setTimeout(() => process.exit(code), 10_000);
      void Promise.all(pending).then(() => {
        clearTimeout(timer);
        process.exit(code);
      });
    });
  }
}

export interface SpawnOptions {
  /** Node flags, e.g. ['--expose-gc', '--cpu-prof']. */
  execArgv?: string[];
  env?: NodeJS.ProcessEnv;
  /** Raise the soft open-files limit to the hard one first (many sockets). */
  raiseNofile?: boolean;
  cwd?: string;
  /** Throw away the child's stdout and stderr (a UI that writes terminal escapes on exit); errors still come back over IPC. */
  quiet?: boolean;
}

/**
 * Starts `node [execArgv] file [args]` with an IPC channel (advanced serialisation, so typed
 * arrays travel as they are). With `raiseNofile` a shell raises `ulimit -n` and execs node, so
 * the pid and the channel are node's own.
 */
export function spawnNode(file: string, args: string[] = [], options: SpawnOptions = {}): ChildProcess {
  installCleanup();
  // While an interrupted run cleans up, the scenario that was running must not start new children.
  if (interrupted) throw new Error('interrupted');
  const nodeArgs = [...(options.execArgv ?? []), file, ...args];
  const out = options.quiet ? 'ignore' : 'inherit';
  const stdio: ['ignore', 'inherit' | 'ignore', 'inherit' | 'ignore', 'ipc'] = ['ignore', out, out, 'ipc'];
  const common = { stdio, serialization: 'advanced' as const, env: options.env ?? process.env, cwd: options.cwd };
  const child = options.raiseNofile
    ? spawn('/bin/sh', ['-c', 'ulimit -n "$(ulimit -Hn)" 2>/dev/null; exec "$@"', 'sh', process.execPath, ...nodeArgs], common)
    : spawn(process.execPath, nodeArgs, common);
  children.add(child);
  child.once('exit', () => children.delete(child));
  return child;
}

/**
 * Starts a program that is not node (InspIRCd), with `ulimit -n` raised to the hard limit and its
 * output piped to the caller; it is killed with the other children on exit, an error or Ctrl+C.
 */
export function spawnProgram(file: string, args: string[], cwd: string): ChildProcess {
  installCleanup();
  if (interrupted) throw new Error('interrupted');
  const child = spawn('/bin/sh', ['-c', 'ulimit -n "$(ulimit -Hn)" 2>/dev/null; exec "$@"', 'sh', file, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    cwd,
  });
  children.add(child);
  child.once('exit', () => children.delete(child));
  return child;
}

interface Reply {
  id: number;
  ok: boolean;
  result?: unknown;
  error?: string;
}

/** Request/response over a child's IPC channel, plus the child's own events. */
export class Peer {
  private nextId = 0;
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  private readonly listeners = new Map<string, Set<(data: unknown) => void>>();
  private exited: Error | null = null;

  constructor(
    readonly child: ChildProcess,
    readonly label: string,
  ) {
    child.on('message', (raw: unknown) => {
      const msg = raw as Partial<Reply> & { event?: string; data?: unknown };
      if (typeof msg.event === 'string') {
        for (const fn of this.listeners.get(msg.event) ?? []) fn(msg.data);
        return;
      }
      if (typeof msg.id !== 'number') return;
      const p = this.pending.get(msg.id);
      if (!p) return;
      this.pending.delete(msg.id);
      if (msg.ok) p.resolve(msg.result);
      else p.reject(new Error(`${label}: ${msg.error}`));
    });
    child.once('exit', (code, signal) => {
      this.exited = new Error(`${label} exited (${signal ?? code})`);
      for (const p of this.pending.values()) p.reject(this.exited);
      this.pending.clear();
    });
  }

  get pid(): number {
    return this.child.pid ?? -1;
  }

  call<T = unknown>(cmd: string, args: unknown = {}, timeoutMs = 600_000): Promise<T> {
    if (this.exited) return Promise.reject(this.exited);
    const id = ++this.nextId;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(`${this.label}: ${cmd} took longer than ${timeoutMs} ms`));
      }, timeoutMs);
      this.pending.set(id, {
        resolve: (v) => {
          clearTimeout(timer);
          resolve(v as T);
        },
        reject: (e) => {
          clearTimeout(timer);
          reject(e);
        },
      });
      // With a callback, a channel that closed before 'exit' (a child just killed, e.g. on Ctrl+C)
      // rejects this call instead of emitting an 'error' nobody listens to, which would crash the run.
      this.child.send({ id, cmd, args }, (err) => {
        if (!err) return;
        const p = this.pending.get(id);
        this.pending.delete(id);
        p?.reject(new Error(`${this.label}: ${cmd}: ${err.message}`));
      });
    });
  }

  on(event: string, fn: (data: unknown) => void): () => void {
    let set = this.listeners.get(event);
    if (!set) this.listeners.set(event, (set = new Set()));
    set.add(fn);
    return () => set.delete(fn);
  }

  /** Resolves with the first `event` whose data satisfies `match`. */
  once<T>(event: string, match: (data: T) => boolean = () => true, timeoutMs = 600_000): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        off();
        reject(new Error(`${this.label}: no ${event} within ${timeoutMs} ms`));
      }, timeoutMs);
      const off = this.on(event, (data) => {
        if (!match(data as T)) return;
        clearTimeout(timer);
        off();
        resolve(data as T);
      });
    });
  }

  /** Waits for the child to exit (after asking it to stop); kills it after `graceMs`. */
  async stop(graceMs = 10_000): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    const timer = setTimeout(() => this.child.kill('SIGKILL'), graceMs);
    const kill = () => {
      try {
        this.child.kill('SIGKILL');
      } catch {
        // Already gone.
      }
    };
    try {
      this.child.send({ id: 0, cmd: 'exit', args: {} }, (err) => err && kill());
    } catch {
      kill();
    }
    await exited;
    clearTimeout(timer);
  }
}

/** Waits for the child's `ready` event. */
export function ready<T>(peer: Peer, timeoutMs = 60_000): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${peer.label} did not start within ${timeoutMs} ms`)), timeoutMs);
    peer.child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`${peer.label} exited before it was ready (${signal ?? code})`));
    });
    const off = peer.on('ready', (data) => {
      clearTimeout(timer);
      off();
      resolve(data as T);
    });
  });
}
