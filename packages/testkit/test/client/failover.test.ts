/**
 * A client given several servers (the nodes of a cluster): it logs in on the first that answers,
 * moves to the next when its server is lost, logs in there with its session token, resends what
 * was not acknowledged and catches up with sync:since. The two servers here share one SQLite file
 * (sessions and messages are shared, as on a PostgreSQL cluster; live delivery between nodes needs
 * Redis and is covered by the server's cluster tests).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import net from 'node:net';
import { afterEach, describe, expect, test } from '@jest/globals';
import { createChatServer, type ChatServer } from '@tui-chat/server';
import { ChatClient, serverList } from '@tui-chat/client';
import { expectNoDuplicates, TEST_COST, waitFor, waitForMessage } from '@tui-chat/testkit';

let dir = '';
const servers: ChatServer[] = [];
const clients: ChatClient[] = [];
const handshakes: { port: number; with: string }[] = [];

afterEach(async () => {
  for (const c of clients.splice(0)) c.close();
  await Promise.all(servers.splice(0).map((s) => s.close()));
  handshakes.length = 0;
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
  dir = '';
});

async function freePort(): Promise<number> {
  const srv = net.createServer();
  await new Promise<void>((resolve) => srv.listen(0, '127.0.0.1', resolve));
  const { port } = srv.address() as net.AddressInfo;
  await new Promise<void>((resolve) => srv.close(() => resolve()));
  return port;
}

async function node(port: number): Promise<ChatServer> {
  dir ||= fs.mkdtempSync(path.join(os.tmpdir(), 'tui-chat-failover-'));
  const server = createChatServer({ db: path.join(dir, 'chat.db'), passwordCost: TEST_COST, port });
  server.io.on('connection', (socket) => {
    handshakes.push({ port, with: 'token' in (socket.handshake.auth as object) ? 'token' : 'password' });
  });
  await server.listen();
  servers.push(server);
  return server;
}

async function stop(server: ChatServer): Promise<void> {
  servers.splice(servers.indexOf(server), 1);
  await server.close();
}

function client(ports: number[]): ChatClient {
  const c = new ChatClient({
    url: ports.map((p) => `http://127.0.0.1:${p}`).join(','),
    display: ports.map((p) => `127.0.0.1:${p}`).join(','),
    socketOptions: { reconnectionDelay: 50, reconnectionDelayMax: 300, randomizationFactor: 0 },
    requestTimeoutMs: 3000,
  });
  clients.push(c);
  return c;
}

describe('several servers', () => {
  test('serverList splits comma-separated URLs and displays; one URL stays as it is', () => {
    expect(serverList({ url: 'http://a:1,http://b:2', display: 'a:1,b:2' })).toEqual([
      { url: 'http://a:1', display: 'a:1' },
      { url: 'http://b:2', display: 'b:2' },
    ]);
    expect(serverList({ url: 'http://a:1,https://b:2', display: 'whatever' })).toEqual([
      { url: 'http://a:1', display: 'a:1' },
      { url: 'https://b:2', display: 'b:2' },
    ]);
    expect(serverList({ url: 'http://a:1', display: 'a:1' })).toEqual([{ url: 'http://a:1', display: 'a:1' }]);
  });

  test('the first login skips a server that does not answer', async () => {
    const [down, up] = [await freePort(), await freePort()];
    await node(up);
    const c = client([down, up]);
    expect(await c.login({ user: 'amy', password: 'secret-pw', register: true })).toBe(true);
    expect(c.getState().server).toBe(`127.0.0.1:${up}`);
  });

  test('no server answers: the login fails naming them all', async () => {
    const ports = [await freePort(), await freePort()];
    const c = client(ports);
    expect(await c.login({ user: 'amy', password: 'secret-pw', register: true })).toBe(false);
    expect(c.getState().loginError).toMatch(
      new RegExp(`Cannot reach any of the servers 127\\.0\\.0\\.1:${ports[0]}, 127\\.0\\.0\\.1:${ports[1]}`),
    );
  });

  test('a refusal (wrong password) is final: the next server is not asked', async () => {
    const [p1, p2] = [await freePort(), await freePort()];
    await node(p1);
    await node(p2);
    const first = client([p1, p2]);
    await first.login({ user: 'amy', password: 'secret-pw', register: true });
    const c = client([p1, p2]);
    const before = handshakes.length;
    expect(await c.login({ user: 'amy', password: 'wrong-password' })).toBe(false);
    expect(c.getState().loginError).toMatch(/Wrong user name or password/);
    expect(handshakes.length).toBe(before);
  });

  test('its server lost, the client moves to the next with its token and catches up', async () => {
    const [p1, p2] = [await freePort(), await freePort()];
    const n1 = await node(p1);
    await node(p2);
    const alice = client([p1, p2]);
    const bob = client([p2, p1]);
    await alice.login({ user: 'alice', password: 'secret-pw', register: true });
    await bob.login({ user: 'bob', password: 'secret-pw', register: true });
    await alice.open('bob');
    await alice.submit('before');
    await waitForMessage(alice, 'bob', 'before');
    expect(alice.getState().server).toBe(`127.0.0.1:${p1}`);

    const states: string[] = [];
    alice.subscribe((s) => {
      const line = `${s.connection} ${s.server}`;
      if (states.at(-1) !== line) states.push(line);
    });
    const tokenLogins = handshakes.filter((h) => h.port === p2 && h.with === 'token').length;
    await stop(n1);
    // Sent by bob while alice moves: she must fetch it with sync:since on node 2.
    await bob.submit('/msg alice while you moved');
    await waitForMessage(bob, 'alice', 'while you moved');
    const s = await waitFor(alice, (st) => st.connection === 'connected' && st.server === `127.0.0.1:${p2}`, 'alice on node 2');
    expect(states).toContain(`connected 127.0.0.1:${p2}`);
    expect(handshakes.filter((h) => h.port === p2 && h.with === 'token').length).toBe(tokenLogins + 1);
    expect(s.screen).toBe('chat');
    await waitForMessage(alice, 'bob', 'while you moved');
    await alice.submit('from node 2');
    await waitForMessage(alice, 'bob', 'from node 2');
    expect((alice.getState().messages.bob ?? []).map((m) => m.text)).toEqual(['before', 'while you moved', 'from node 2']);
    expectNoDuplicates(alice.getState());
    // The responses pane says where she is now.
    expect(alice.getState().responses.map((r) => r.text)).toContain(`Connection restored on 127.0.0.1:${p2} (127.0.0.1:${p1} was lost).`);
  });

  test('every server down: it keeps going round the list and comes back on whichever returns', async () => {
    const [p1, p2] = [await freePort(), await freePort()];
    const n1 = await node(p1);
    const alice = client([p1, p2]);
    await alice.login({ user: 'alice', password: 'secret-pw', register: true });
    await stop(n1);
    await waitFor(alice, (st) => st.connection === 'reconnecting' && /round 2/.test(st.connectionDetail ?? ''), 'a second round');
    await node(p2);
    const s = await waitFor(alice, (st) => st.connection === 'connected', 'connected again');
    expect(s.server).toBe(`127.0.0.1:${p2}`);
    await waitFor(
      alice,
      (st) => st.responses.some((r) => r.text === `Connection restored on 127.0.0.1:${p2} (127.0.0.1:${p1} was lost).`),
      'the move said',
    );
  });
});
