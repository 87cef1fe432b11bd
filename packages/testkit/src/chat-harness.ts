/**
 * Test harness: a real chat server on an ephemeral port with a temporary SQLite file (restartable on
 * the same port and file), real ChatClient instances, and waiting on state instead of sleeping.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from '@jest/globals';
import { createChatServer, type ChatServer, type ChatServerOptions } from '@tui-chat/server';
import { LOW_PASSWORD_COST } from '@tui-chat/server/config';
import { ChatClient, type ChatClientOptions, type ClientState, type ResponseLine } from '@tui-chat/client';
import { waitFor } from './wait.js';

/** A cheap password hash for tests (one test checks the real default separately). */
export const TEST_COST = LOW_PASSWORD_COST;

export interface Received {
  user: string;
  event: string;
  payload: unknown;
}

export interface Harness {
  readonly server: ChatServer;
  readonly port: number;
  readonly url: string;
  readonly display: string;
  /** The SQLite file; it survives stop() and start(). */
  readonly dbFile: string;
  /** Every request event the server received, in order, with the session's user. */
  readonly received: Received[];
  /** How each accepted handshake authenticated. */
  readonly handshakes: { user: string; with: 'password' | 'token' }[];
  /** A new ChatClient for this server (closed by `close()`). */
  client(options?: Partial<ChatClientOptions>): ChatClient;
  /** Registers `name` with a new client and waits for the chat screen. */
  register(name: string, password?: string): Promise<ChatClient>;
  /** Logs `name` in with a new client and waits for the chat screen. */
  login(name: string, password?: string): Promise<ChatClient>;
  /** Closes the server (clients start reconnecting). */
  stop(): Promise<void>;
  /** Starts a server again on the same port and database file. */
  start(options?: ChatServerOptions): Promise<void>;
  close(): Promise<void>;
}

export async function startHarness(options: ChatServerOptions = {}): Promise<Harness> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tui-chat-client-test-'));
  const dbFile = path.join(dir, 'chat.db');
  const received: Received[] = [];
  const handshakes: { user: string; with: 'password' | 'token' }[] = [];
  const clients: ChatClient[] = [];
  let server: ChatServer;
  let port = 0;
  let running = false;

  const start = async (o: ChatServerOptions = {}): Promise<void> => {
    server = createChatServer({ db: dbFile, passwordCost: TEST_COST, ...options, ...o, port });
    server.io.on('connection', (socket) => {
      const user = socket.data.user;
      handshakes.push({ user, with: 'token' in (socket.handshake.auth as object) ? 'token' : 'password' });
      socket.onAny((event: string, ...args: unknown[]) => received.push({ user, event, payload: args[0] }));
    });
    port = (await server.listen()).port;
    running = true;
  };
  await start();

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
    get display() {
      return `127.0.0.1:${port}`;
    },
    dbFile,
    received,
    handshakes,
    client(extra = {}) {
      const c = new ChatClient({
        url: h.url,
        display: h.display,
        socketOptions: { reconnectionDelay: 50, reconnectionDelayMax: 300, randomizationFactor: 0 },
        requestTimeoutMs: 5000,
        ...extra,
      });
      clients.push(c);
      return c;
    },
    async register(name, password = 'secret-pw') {
      const c = h.client();
      const ok = await c.login({ user: name, password, register: true });
      if (!ok) throw new Error(`register ${name} failed: ${c.getState().loginError}`);
      return c;
    },
    async login(name, password = 'secret-pw') {
      const c = h.client();
      const ok = await c.login({ user: name, password });
      if (!ok) throw new Error(`login ${name} failed: ${c.getState().loginError}`);
      return c;
    },
    async stop() {
      if (!running) return;
      running = false;
      await server.close();
    },
    start,
    async close() {
      for (const c of clients.splice(0)) c.close();
      await h.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
  return h;
}

export { waitFor };

/** Runs `action` and resolves with the response lines it added (waiting for at least one). */
export async function responsesOf(client: ChatClient, action: () => Promise<unknown>): Promise<ResponseLine[]> {
  const before = client.getState().responses.at(-1)?.id ?? 0;
  await action();
  const s = await waitFor(client, (st) => (st.responses.at(-1)?.id ?? 0) > before, 'a response line');
  return s.responses.filter((r) => r.id > before);
}

/** Submits a line and resolves with the last response it produced. */
export async function respond(client: ChatClient, line: string): Promise<ResponseLine> {
  const lines = await responsesOf(client, () => client.submit(line));
  return lines.at(-1)!;
}

/** Waits until `client` holds a message with `text` in `conversation`. */
export function waitForMessage(client: ChatClient, conversation: string, text: string, status = 'sent'): Promise<ClientState> {
  return waitFor(
    client,
    (s) => (s.messages[conversation] ?? []).some((m) => m.text === text && m.status === status),
    `${status} message ${JSON.stringify(text)} in ${conversation}`,
  );
}

/** Asserts no message appears twice in any conversation (by key and by seq). */
export function expectNoDuplicates(state: ClientState): void {
  for (const [name, list] of Object.entries(state.messages)) {
    const keys = list.map((m) => m.key);
    expect({ name, keys: [...new Set(keys)] }).toEqual({ name, keys });
    const seqs = list.filter((m) => m.seq !== undefined).map((m) => m.seq);
    expect({ name, seqs: [...new Set(seqs)] }).toEqual({ name, seqs });
  }
}

/** The request events `user` sent to the server since `mark` (an index into `received`). */
export function sentSince(h: Harness, mark: number, user: string): string[] {
  return h.received
    .slice(mark)
    .filter((r) => r.user === user)
    .map((r) => r.event);
}
