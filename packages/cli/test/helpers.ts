/** Child-process helpers: run the built `tui-chat` bin, wait for its output, always clean up. */
import { expect } from '@jest/globals';
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { io as connectSocket, type Socket } from 'socket.io-client';
import type { ChatError, ClientToServerEvents, NoticeCode, ServerToClientEvents, SessionInfo } from '@tui-chat/protocol';

export const BIN = fileURLToPath(new URL('../bin/tui-chat.js', import.meta.url));
const DIST = fileURLToPath(new URL('../dist/main.js', import.meta.url));
if (!fs.existsSync(DIST)) throw new Error('packages/cli is not built: run `npx tsc -b packages/cli` first.');

const CHILD_TIMEOUT_MS = 20_000;
const children = new Set<ChildProcess>();
const sockets = new Set<Socket>();
const dirs = new Set<string>();

export function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tui-chat-cli-'));
  dirs.add(dir);
  return dir;
}

/** For afterEach: kills what is still running and removes temporary folders. */
export async function cleanup(): Promise<void> {
  for (const s of sockets) s.disconnect();
  sockets.clear();
  await Promise.all(
    [...children].map(
      (child) =>
        new Promise<void>((resolve) => {
          if (child.exitCode !== null || child.signalCode !== null) return resolve();
          child.once('exit', () => resolve());
          child.kill('SIGKILL');
        }),
    ),
  );
  children.clear();
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
  dirs.clear();
}

/** The parent's environment without anything tui-chat reads, plus cheap hashing and a private data dir. */
export function childEnv(extra: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('TUI_CHAT_') && k !== 'NODE_OPTIONS') env[k] = v;
  env.TUI_CHAT_PASSWORD_COST = 'low';
  env.XDG_DATA_HOME = tempDir();
  env.XDG_CONFIG_HOME = tempDir(); // the person's own client settings never reach a test
  env.XDG_STATE_HOME = tempDir(); // nor their unsent messages
  for (const [k, v] of Object.entries(extra)) {
    if (v === undefined) delete env[k];
    else env[k] = v;
  }
  return env;
}

export interface Running {
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** Resolves when `pattern` shows up on stdout (or stderr), rejects if the process exits first. */
  waitFor(pattern: RegExp, stream?: 'stdout' | 'stderr'): Promise<RegExpMatchArray>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export function start(args: string[], env: NodeJS.ProcessEnv = childEnv()): Running {
  const child = spawn(process.execPath, [BIN, ...args], { env, stdio: ['pipe', 'pipe', 'pipe'] });
  children.add(child);
  let out = '';
  let err = '';
  child.stdout!.setEncoding('utf8').on('data', (d: string) => (out += d));
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (err += d));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('close', (code, signal) => resolve({ code, signal })),
  );
  const killer = setTimeout(() => child.kill('SIGKILL'), CHILD_TIMEOUT_MS);
  void exited.then(() => clearTimeout(killer));
  return {
    child,
    stdout: () => out,
    stderr: () => err,
    exited,
    waitFor(pattern, stream = 'stdout') {
      const source = child[stream]!;
      return new Promise((resolve, reject) => {
        const check = () => {
          const m = (stream === 'stdout' ? out : err).match(pattern);
          if (!m) return;
          source.off('data', check);
          resolve(m);
        };
        source.on('data', check);
        check();
        void exited.then(({ code, signal }) =>
          reject(new Error(`tui-chat exited (${code ?? signal}) before printing ${pattern}; stderr: ${err}`)),
        );
      });
    },
  };
}

export interface Result {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the bin to completion (bounded by a timeout). */
export async function run(args: string[], env: NodeJS.ProcessEnv = childEnv(), input?: string): Promise<Result> {
  const p = start(args, env);
  p.child.stdin!.end(input ?? '');
  const { code } = await p.exited;
  return { code, stdout: p.stdout(), stderr: p.stderr() };
}

/** Starts `tui-chat serve --port 0` and resolves with its bound port once it says it listens. */
export async function serve(args: string[], env?: NodeJS.ProcessEnv): Promise<Running & { port: number; db: string }> {
  const p = start(['serve', '--port', '0', '--log-level', 'warn', ...args], env);
  const m = await p.waitFor(
    /^tui-chat server listening on 127\.0\.0\.1:(\d+) \(database (.+), registration (open|closed)(?:, PROXY protocol from [^)]+)?\)\n/m,
  );
  return Object.assign(p, { port: Number(m[1]), db: m[2]! });
}

/** Asserts the one-line-error contract: exactly one line on stderr, no stack trace. */
export function expectOneLine(r: Result, code: number, pattern: RegExp): void {
  expect({ code: r.code, stderr: r.stderr }).toEqual({ code, stderr: expect.stringMatching(pattern) });
  expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
  expect(r.stderr).not.toMatch(/^\s+at /m);
  expect(r.stderr.startsWith('tui-chat')).toBe(true);
}

export type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/** Opens a websocket-only socket.io session; resolves on session:ready, rejects with the refusal. */
export function login(port: number, auth: Record<string, unknown>): Promise<{ socket: ClientSocket; session: SessionInfo }> {
  const socket: ClientSocket = connectSocket(`http://127.0.0.1:${port}`, {
    transports: ['websocket'],
    reconnection: false,
    forceNew: true,
    auth,
  });
  sockets.add(socket);
  return new Promise((resolve, reject) => {
    socket.once('session:ready', (session) => resolve({ socket, session }));
    socket.once('connect_error', (err) => {
      const data = (err as unknown as { data?: ChatError }).data;
      reject(Object.assign(new Error(data?.message ?? err.message), { data }));
    });
  });
}

/** The handshake refusal code for these credentials, or 'accepted'. */
export async function loginCode(port: number, auth: Record<string, unknown>): Promise<string> {
  try {
    const { socket } = await login(port, auth);
    socket.disconnect();
    return 'accepted';
  } catch (err) {
    return (err as { data?: ChatError }).data?.code ?? (err as Error).message;
  }
}

export function nextNotice(socket: ClientSocket): Promise<{ code: NoticeCode; message: string }> {
  return new Promise((resolve) => socket.once('notice', resolve));
}

export const SCRIPT = '/usr/bin/script';
/** util-linux `script` gives the child a pseudo-terminal; tests that need one skip without it. */
export const hasPty = fs.existsSync(SCRIPT);
const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

export interface InPty {
  screen(): string;
  type(keys: string): void;
  /** Resolves once `text` has appeared on the terminal; rejects if the program exits first. */
  waitFor(text: string | RegExp): Promise<void>;
  exited: Promise<number | null>;
}

/** Runs `tui-chat ARGS` on a pseudo-terminal (via `script`), killed after a bounded time. */
export function startInPty(args: string[], env: NodeJS.ProcessEnv = childEnv()): InPty {
  const command = [process.execPath, BIN, ...args].map(quote).join(' ');
  const child = spawn(SCRIPT, ['-qfec', command, '/dev/null'], { env, stdio: ['pipe', 'pipe', 'pipe'] });
  children.add(child);
  const killer = setTimeout(() => child.kill('SIGKILL'), CHILD_TIMEOUT_MS);
  let screen = '';
  child.stdout!.setEncoding('utf8').on('data', (d: string) => (screen += d));
  const exited = new Promise<number | null>((resolve) =>
    child.once('close', (code) => {
      clearTimeout(killer);
      resolve(code);
    }),
  );
  const seen = (text: string | RegExp) => (typeof text === 'string' ? screen.includes(text) : text.test(screen));
  return {
    screen: () => screen,
    type: (keys) => child.stdin!.write(keys),
    exited,
    waitFor(text) {
      return new Promise((resolve, reject) => {
        const check = () => {
          if (!seen(text)) return;
          child.stdout!.off('data', check);
          resolve();
        };
        child.stdout!.on('data', check);
        check();
        void exited.then((code) => reject(new Error(`exited (${code}) before showing ${String(text)}; screen: ${JSON.stringify(screen)}`)));
      });
    },
  };
}
