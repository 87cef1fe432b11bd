/**
 * A client's connection cut: its socket destroyed (through a TCP proxy), its network silent, and the
 * whole server frozen with SIGSTOP then resumed with SIGCONT. Each time the client notices,
 * reconnects by itself, resends what was not acknowledged and catches up: nothing lost, nothing
 * twice. The server is a real child process.
 */
import { expect, test } from '@jest/globals';
import type { ChatClient } from '@tui-chat/client';
import {
  faultClient,
  faultPlace,
  cleanUpAfterEach,
  loginClient,
  ServerProcess,
  shownTwice,
  storedMessages,
  TcpProxy,
  waitFor,
  type ServerSpec,
} from './fixtures.js';
import { allSent, texts } from '@tui-chat/testkit';

const clients: ChatClient[] = [];
let proxy: TcpProxy | null = null;
cleanUpAfterEach(clients, async () => {
  await proxy?.close();
  proxy = null;
});

/** A keep-alive short enough that a silent peer is noticed in about a second. */
const KEEP_ALIVE = { pingIntervalMs: 400, pingTimeoutMs: 600 };

async function setup(extra: Partial<ServerSpec> = {}): Promise<{ server: ServerProcess; url: string; db: string; port: number }> {
  const { db, port, url } = await faultPlace();
  const server = await ServerProcess.start({ port, db, ...extra });
  return { server, url, db, port };
}

async function client(url: string, user: string, register = true): Promise<ChatClient> {
  const c = await loginClient(faultClient(url), user, register);
  clients.push(c);
  return c;
}

/** alice connected directly, bob through a proxy the test can cut or silence; bob has alice's "one". */
async function bobBehindProxy(
  extra: Partial<ServerSpec> = {},
): Promise<{ alice: ChatClient; bob: ChatClient; db: string; proxy: TcpProxy }> {
  const { url, db, port } = await setup(extra);
  const through = new TcpProxy(port);
  proxy = through; // closed after the test
  const viaProxy = `http://127.0.0.1:${await through.listen()}`;
  const alice = await client(url, 'alice');
  const bob = await client(viaProxy, 'bob');
  await bob.open('alice');
  await alice.submit('/msg bob one');
  await waitFor(bob, allSent('alice', ['one']), 'bob has one');
  return { alice, bob, db, proxy: through };
}

const bodies = (db: string): string[] => storedMessages(db).map((r) => r.body);

test('socket destroyed: the client notices, reconnects, resends and catches up', async () => {
  const started = Date.now();
  const { alice, bob, db, proxy } = await bobBehindProxy();

  // Bob's TCP connection is destroyed, and the way back stays shut for now.
  proxy.cut(true);
  await waitFor(bob, (s) => s.connection === 'reconnecting', 'bob notices');
  await alice.submit('/msg bob two');
  await alice.submit('/msg bob three');
  await waitFor(alice, allSent('bob', ['two', 'three']), 'alice acknowledged');
  await bob.submit('while cut');
  expect(bob.getState().messages.alice!.at(-1)).toMatchObject({ text: 'while cut', status: 'pending' });

  proxy.restore();
  // Bob missed two and three live: they come from the catch-up after his reconnect.
  const s = await waitFor(bob, (st) => st.connection === 'connected' && allSent('alice', ['three', 'while cut'])(st), 'bob caught up');
  expect(texts(s, 'alice')).toEqual(['one', 'two', 'three', 'while cut']);
  const a = await waitFor(alice, allSent('bob', ['while cut']), 'alice got it');
  expect(texts(a, 'bob')).toEqual(['one', 'two', 'three', 'while cut']);
  expect(shownTwice(bob.getState())).toEqual([]);
  expect(shownTwice(alice.getState())).toEqual([]);
  expect(bodies(db)).toEqual(['one', 'two', 'three', 'while cut']);
  log('socket destroyed', started);
}, 60_000);

test('a silent network (nothing closed, nothing delivered): noticed by the keep-alive, then the same recovery', async () => {
  const started = Date.now();
  const { alice, bob, db, proxy } = await bobBehindProxy(KEEP_ALIVE);

  proxy.blackhole();
  // Sent into the void: no answer, and no error either, until the keep-alive gives up on the connection.
  const lost = bob.submit('into the void');
  await alice.submit('/msg bob two');
  await waitFor(bob, (s) => s.connection === 'reconnecting', 'bob notices the silence');
  await lost;
  proxy.cut(false);
  proxy.restore();
  const s = await waitFor(bob, (st) => st.connection === 'connected' && allSent('alice', ['two', 'into the void'])(st), 'bob recovered');
  expect(texts(s, 'alice')).toEqual(['one', 'two', 'into the void']);
  await waitFor(alice, allSent('bob', ['into the void']), 'alice got it');
  expect(shownTwice(bob.getState())).toEqual([]);
  expect(shownTwice(alice.getState())).toEqual([]);
  expect(bodies(db)).toEqual(['one', 'two', 'into the void']);
  log('silent network', started);
}, 60_000);

test('server frozen (SIGSTOP) then resumed (SIGCONT): clients notice, reconnect, nothing lost or doubled', async () => {
  const started = Date.now();
  const { server, url, db } = await setup(KEEP_ALIVE);
  const alice = await client(url, 'alice');
  const bob = await client(url, 'bob');
  await bob.open('alice');
  await alice.open('bob');
  await alice.submit('one');
  await waitFor(bob, allSent('alice', ['one']), 'bob has one');

  await server.signal('SIGSTOP');
  // Typed while the server is frozen: the first goes out and is not answered; the rest wait in the outbox.
  const typing = (async () => {
    for (const t of ['two', 'three', 'four']) await alice.submit(t);
  })();
  await waitFor(alice, (s) => s.connection === 'reconnecting', 'alice notices', 20_000);
  await waitFor(bob, (s) => s.connection === 'reconnecting', 'bob notices', 20_000);
  await typing;
  expect(
    alice
      .getState()
      .messages.bob!.filter((m) => m.status === 'pending')
      .map((m) => m.text),
  ).toEqual(['two', 'three', 'four']);

  await server.signal('SIGCONT');
  const want = ['one', 'two', 'three', 'four'];
  const a = await waitFor(alice, (s) => s.connection === 'connected' && allSent('bob', want)(s), 'alice resent', 20_000);
  const b = await waitFor(bob, (s) => s.connection === 'connected' && allSent('alice', want)(s), 'bob caught up', 20_000);
  expect(texts(a, 'bob')).toEqual(want);
  expect(texts(b, 'alice')).toEqual(want);
  expect(a.messages.bob!.map((m) => m.seq)).toEqual([1, 2, 3, 4]);
  expect(shownTwice(a)).toEqual([]);
  expect(shownTwice(b)).toEqual([]);
  // 'two' may have reached the frozen server and been stored when it woke up: the resend did not store it again.
  expect(bodies(db)).toEqual(want);
  log('SIGSTOP/SIGCONT', started);
}, 60_000);

function log(what: string, started: number): void {
  console.log(`${what}: recovered, nothing lost or shown twice, ${((Date.now() - started) / 1000).toFixed(1)} s`);
}
