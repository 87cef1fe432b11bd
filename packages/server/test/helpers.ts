/** Test helpers: a real server on an ephemeral port with a temporary SQLite file, and real clients. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { io as connectSocket } from 'socket.io-client';
import type { ChatError, ReplyOf, RequestEvent, RequestPayload, ServerToClientEvents, SessionInfo } from '@tui-chat/protocol';
import { rawLogin, TEST_COST, type TestSocket } from '@tui-chat/testkit';
import type pg from 'pg';
import { createChatServer, type ChatServer, type ChatServerOptions } from '../src/index.js';
import { migrations as pgMigrations } from '../src/store/postgres/migrations.js';

/** A cheap password hash for tests (one test checks the real default separately), and the typed raw socket: from the test kit. */
export { TEST_COST, type TestSocket } from '@tui-chat/testkit';

export interface Harness {
  server: ChatServer;
  port: number;
  dir: string;
  dbFile: string;
  url: string;
  sockets: TestSocket[];
  /** Connects and waits for session:ready. */
  login(
    user: string,
    password?: string,
    extra?: Record<string, unknown>,
    opts?: Record<string, unknown>,
  ): Promise<{ socket: TestSocket; session: SessionInfo }>;
  register(user: string, password?: string): Promise<{ socket: TestSocket; session: SessionInfo }>;
  /** Connects and expects the handshake to be refused; returns the error data. */
  refused(auth: Record<string, unknown>, opts?: Record<string, unknown>): Promise<ChatError>;
  restart(options?: ChatServerOptions): Promise<void>;
  close(): Promise<void>;
}

export async function startHarness(options: ChatServerOptions = {}): Promise<Harness> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tui-chat-test-'));
  const dbFile = path.join(dir, 'chat.db');
  const make = (o: ChatServerOptions) => createChatServer({ db: dbFile, passwordCost: TEST_COST, ...options, ...o });
  let server = make({});
  let port = (await server.listen()).port;
  const sockets: TestSocket[] = [];

  // opts.via: connect to this port instead of the server's (a proxy or balancer in front of it).
  const open = (auth: Record<string, unknown>, opts: Record<string, unknown> = {}): TestSocket => {
    const { via, ...rest } = opts;
    const s: TestSocket = connectSocket(`http://127.0.0.1:${typeof via === 'number' ? via : port}`, {
      transports: ['websocket'],
      reconnection: false,
      forceNew: true,
      auth,
      ...rest,
    });
    sockets.push(s);
    return s;
  };

  const h: Harness = {
    get server() {
      return server;
    },
    get port() {
      return port;
    },
    get url() {
      return `http://127.0.0.1:${port}`;
    },
    dir,
    dbFile,
    sockets,
    login(user, password = 'secret-pw', extra = {}, opts = {}) {
      const { via, ...rest } = opts as { via?: number };
      return rawLogin(typeof via === 'number' ? via : port, { user, password, ...extra }, sockets, rest);
    },
    register(user, password = 'secret-pw') {
      return h.login(user, password, { register: true });
    },
    refused(auth, opts) {
      const socket = open(auth, opts);
      return new Promise((resolve, reject) => {
        socket.once('connect_error', (err) => {
          // As the real client does after a refusal: it lets go of the connection.
          socket.disconnect();
          resolve((err as unknown as { data: ChatError }).data);
        });
        socket.once('session:ready', () => reject(new Error('handshake was accepted')));
      });
    },
    async restart(o = {}) {
      for (const s of sockets.splice(0)) s.disconnect();
      await server.close();
      server = make({ port, ...o });
      port = (await server.listen()).port;
    },
    async close() {
      for (const s of sockets.splice(0)) s.disconnect();
      await server.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
  return h;
}

/** Sends a request and waits for its acknowledgement. */
export function request<E extends RequestEvent>(socket: TestSocket, event: E, payload: RequestPayload<E>): Promise<ReplyOf<E>> {
  return (socket.timeout(10_000) as unknown as { emitWithAck: (e: string, p: unknown) => Promise<ReplyOf<E>> }).emitWithAck(event, payload);
}

/** Sends anything at all (for wrong-shape tests). */
export function rawRequest(socket: TestSocket, event: string, ...args: unknown[]): Promise<unknown> {
  return (socket.timeout(10_000) as unknown as { emitWithAck: (e: string, ...a: unknown[]) => Promise<unknown> }).emitWithAck(
    event,
    ...args,
  );
}

/** Resolves with the next `event` on `socket`. */
export function next<E extends keyof ServerToClientEvents>(socket: TestSocket, event: E): Promise<Parameters<ServerToClientEvents[E]>[0]> {
  return new Promise((resolve) => {
    socket.once(event as never, ((arg: never) => resolve(arg)) as never);
  });
}

let counter = 0;
export const cid = (): string => `test-${process.pid}-${Date.now().toString(36)}-${++counter}`;

/** Asserts an acknowledgement failed with `code` and returns the error. */
export function expectError(reply: { ok: boolean; error?: ChatError }, code: ChatError['code']): ChatError {
  if (reply.ok) throw new Error(`expected ${code}, got ok: ${JSON.stringify(reply)}`);
  expect(reply.error?.code).toBe(code);
  expect(typeof reply.error?.message).toBe('string');
  return reply.error!;
}

/** Resolves once the socket is disconnected (at once when it already is). */
export function disconnected(socket: TestSocket): Promise<void> {
  return new Promise((resolve) => (socket.connected ? socket.once('disconnect', () => resolve()) : resolve()));
}

/** Polls `check` until it holds (every 5 ms, at most `timeoutMs`); fails saying `what`. */
export async function until(check: () => boolean, what = 'a condition', timeoutMs = 10_000): Promise<void> {
  const start = Date.now();
  while (!check()) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** A PostgreSQL database brought to schema `version` as the server of that schema left it (for migration tests). */
export async function migratePostgresTo(client: pg.Client, version: number): Promise<void> {
  await client.query('CREATE TABLE tui_chat_schema (version INTEGER PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())');
  for (let v = 0; v < version; v++) {
    await client.query(pgMigrations[v]!);
    await client.query('INSERT INTO tui_chat_schema (version) VALUES ($1)', [v + 1]);
  }
}
