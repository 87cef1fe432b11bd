/**
 * Two nodes whose Redis goes out of reach for a while (the link between them and Redis is cut,
 * as a network partition would), then comes back. Meanwhile messages are still stored and
 * acknowledged, requests that need Redis say so in a sentence, and afterwards nothing is missing:
 * the message stored during the cut reaches its recipient, and a session that ended during the cut
 * leaves no ghost in `whoelse`. Real servers, PostgreSQL, Redis and ChatClients.
 */
import { expect, test } from '@jest/globals';
import type { ChatError } from '@tui-chat/protocol';
import { ChatClient } from '@tui-chat/client';
import { connectRedis, createChatServer, PostgresStore, type ChatServer, type RedisBackend } from '@tui-chat/server';
import { rawLogin, TEST_COST, type TestSocket } from '@tui-chat/testkit';
import { waitFor } from '../faults/fixtures.js';
import { clusterServices } from '@tui-chat/testkit';
import { outageClient, tcpLink, untilHealth, viaLink, type TcpLink } from './outage.js';

const servers: ChatServer[] = [];
const clients: ChatClient[] = [];
const sockets: TestSocket[] = [];
const links: TcpLink[] = [];

const services = clusterServices(async () => {
  for (const c of clients.splice(0)) c.close();
  for (const s of sockets.splice(0)) s.disconnect();
  await Promise.all(servers.splice(0).map((s) => s.close()));
  for (const l of links.splice(0)) await l.close();
});

/** A link to the run's Redis that the test can cut and mend. */
async function redisLink(): Promise<TcpLink & { url: string }> {
  const target = new URL(services.redis.url);
  const link = await tcpLink(target.hostname, Number(target.port || 6379));
  links.push(link);
  return Object.assign(link, { url: viaLink(services.redis.url, link) });
}

async function node(redisUrl: string, presenceTtlMs = 1500): Promise<{ server: ChatServer; port: number; backend: RedisBackend }> {
  const store = await PostgresStore.open(services.db.url);
  const backend = await connectRedis(redisUrl, { prefix: services.redis.prefix });
  const server = createChatServer({ store, redis: backend, passwordCost: TEST_COST, presenceTtlMs });
  servers.push(server);
  const { port } = await server.listen();
  return { server, port, backend };
}

const client = (port: number): ChatClient => outageClient(port, clients);

const login = (port: number, auth: Record<string, unknown>) => rawLogin(port, auth, sockets);

/** Checks `condition` until it holds (state that no event announces), bounded. */
async function until(condition: () => Promise<boolean> | boolean, what: string, timeoutMs = 15_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

const texts = (c: ChatClient, conv: string): string[] => (c.getState().messages[conv] ?? []).map((m) => m.text);
const lastResponse = (c: ChatClient): string => c.getState().responses.at(-1)?.text ?? '';

test('Redis out of reach, then back: messages are stored meanwhile, and nothing is missing or left behind after', async () => {
  const link = await redisLink();
  const n1 = await node(link.url);
  const n2 = await node(link.url);
  const alice = client(n1.port);
  const carol = client(n1.port);
  const bob = client(n2.port);
  for (const [c, user] of [
    [alice, 'alice'],
    [carol, 'carol'],
    [bob, 'bob'],
  ] as const) {
    expect(await c.login({ user, password: 'secret-pw', register: true })).toBe(true);
  }
  await login(n2.port, { user: 'dave', password: 'secret-pw', register: true }).then(({ socket }) => socket.disconnect());
  const dave = await login(n2.port, { user: 'dave', password: 'secret-pw' });
  await waitFor(alice, (s) => s.online.includes('dave'), 'alice sees dave online');
  await alice.open('bob');
  await alice.submit('before');
  await waitFor(bob, (s) => (s.messages.alice ?? []).some((m) => m.text === 'before'), 'bob has "before"');

  link.cut();
  await until(() => n1.backend.client.status !== 'ready' && n2.backend.client.status !== 'ready', 'both nodes to lose Redis');

  const healthOf = async () => {
    const res = await fetch(`http://127.0.0.1:${n2.port}/tui-chat/health`);
    return { status: res.status, body: (await res.json()) as unknown };
  };
  expect(await untilHealth(healthOf, 503)).toEqual({ status: 503, body: { ok: false, database: 'ok', redis: 'unreachable' } });
  // A message to a user on the other node is stored and acknowledged; whether bob is online
  // cannot be told, and the client does not claim he is offline.
  await alice.submit('/msg bob during the cut');
  await waitFor(
    alice,
    (s) => s.messages.bob?.at(-1)?.text === 'during the cut' && s.messages.bob.at(-1)!.status === 'sent',
    'the cut message acknowledged',
  );
  expect(lastResponse(alice)).toBe('message to bob sent');
  // To a user on the same node it is delivered at once, as always.
  await alice.submit('/msg carol same node');
  await waitFor(carol, (s) => (s.messages.alice ?? []).some((m) => m.text === 'same node'), 'carol has it live');
  // A broadcast to everyone reaches those on the same node (and does not hold up what follows).
  await alice.submit('/broadcast anyone there?');
  await waitFor(alice, (s) => s.responses.at(-1)?.text === 'broadcast to 1 user online', 'alice told carol has it');
  await waitFor(carol, (s) => (s.messages['(broadcasts)'] ?? []).some((m) => m.text === 'anyone there?'), 'carol has the broadcast');
  // What needs Redis says so, in a sentence, and changes nothing.
  await alice.submit('/whoelse');
  await waitFor(
    alice,
    (s) => /cannot reach the rest of its cluster \(Redis\) just now; nothing was changed/.test(s.responses.at(-1)?.text ?? ''),
    'whoelse refused',
  );
  // A password login needs the lockout's counts, which live in Redis.
  const refused = await login(n2.port, { user: 'dave', password: 'secret-pw' }).then(
    () => null,
    (err: { data?: ChatError }) => err.data,
  );
  expect(refused).toMatchObject({ code: 'unavailable', retryAfter: 2 });
  // A reconnect with a session token still works (its presence is written once Redis is back).
  const daveAgain = await login(n2.port, { user: 'dave', token: dave.session.token });
  daveAgain.socket.disconnect();
  // A session that ends now cannot be taken off Redis's list yet.
  dave.socket.disconnect();
  await until(() => !n2.server.context.presence.local().includes('dave'), 'dave gone from node 2');

  link.mend();
  // The message stored during the cut reaches bob (live, or by the catch-up the node asks for).
  await waitFor(bob, (s) => (s.messages.alice ?? []).some((m) => m.text === 'during the cut'), 'bob has the cut message');
  expect(texts(bob, 'alice')).toEqual(['before', 'during the cut']);
  // Presence is whole again, without the session that ended during the cut: alice is told.
  await waitFor(alice, (s) => !s.online.includes('dave') && s.online.includes('bob'), 'alice sees dave gone');
  await until(
    async () => (await n1.server.context.presence.online().catch(() => [])).join() === 'alice,bob,carol',
    'presence without dave',
  );
  await alice.submit('/whoelse');
  await waitFor(alice, (s) => s.responses.at(-1)?.text === 'online: bob, carol', 'whoelse answered');
  // And messages cross nodes again.
  await bob.submit('/msg alice after the cut');
  await waitFor(alice, (s) => (s.messages.bob ?? []).some((m) => m.text === 'after the cut'), 'alice has "after the cut"');
});

test('Redis back empty (restarted without its data): presence is written again and messages cross nodes', async () => {
  const link = await redisLink();
  const n1 = await node(link.url);
  const n2 = await node(link.url);
  const alice = client(n1.port);
  const bob = client(n2.port);
  expect(await alice.login({ user: 'alice', password: 'secret-pw', register: true })).toBe(true);
  expect(await bob.login({ user: 'bob', password: 'secret-pw', register: true })).toBe(true);
  await alice.submit('/msg bob first');
  await waitFor(bob, (s) => (s.messages.alice ?? []).some((m) => m.text === 'first'), 'bob has "first"');

  link.cut();
  await until(() => n1.backend.client.status !== 'ready' && n2.backend.client.status !== 'ready', 'both nodes to lose Redis');
  // Everything of this cluster in Redis is gone: presence, the adapter's stream, lockouts.
  const keys = await services.redis.keys();
  expect(keys.length).toBeGreaterThan(0);
  await services.redis.client.del(...keys);
  link.mend();

  await until(async () => (await n2.server.context.presence.online().catch(() => [])).join() === 'alice,bob', 'presence written again');
  await bob.submit('/msg alice after the restart');
  await waitFor(alice, (s) => (s.messages.bob ?? []).some((m) => m.text === 'after the restart'), 'alice has it');
  await alice.submit('/msg bob and back');
  await waitFor(bob, (s) => (s.messages.alice ?? []).some((m) => m.text === 'and back'), 'bob has it');
  expect(bob.getState().messages.alice!.map((m) => m.text)).toEqual(['first', 'after the restart', 'and back']);
});

test('one node cut off from Redis: a session that ended there meanwhile is announced to the others once it is back', async () => {
  const link1 = await redisLink();
  const link2 = await redisLink();
  // A TTL longer than the cut: node 1 must not take node 2 for dead (its reaping would announce dave gone too).
  const n1 = await node(link1.url, 10_000);
  const n2 = await node(link2.url, 10_000);
  const alice = client(n1.port);
  expect(await alice.login({ user: 'alice', password: 'secret-pw', register: true })).toBe(true);
  const dave = await login(n2.port, { user: 'dave', password: 'secret-pw', register: true });
  await waitFor(alice, (s) => s.online.includes('dave'), 'alice sees dave online');

  link2.cut();
  await until(() => n2.backend.client.status !== 'ready', 'node 2 to lose Redis');
  dave.socket.disconnect();
  await until(() => !n2.server.context.presence.local().includes('dave'), 'dave gone from node 2');
  expect(alice.getState().online).toContain('dave'); // nobody could tell node 1 yet
  link2.mend();
  // Node 1 never lost Redis, so nothing tells alice to catch up: only node 2's announcement can.
  await waitFor(alice, (s) => !s.online.includes('dave'), 'alice sees dave gone');
});

test('one node cut off from Redis: what its users sent meanwhile reaches the other node, blocks hold there, and every client catches up', async () => {
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown): void => void unhandled.push(reason);
  process.on('unhandledRejection', onUnhandled);
  const link1 = await redisLink();
  const link2 = await redisLink();
  try {
    const n1 = await node(link1.url, 10_000);
    const n2 = await node(link2.url, 10_000);
    const alice = client(n1.port);
    const bob = client(n2.port);
    const carol = client(n2.port);
    for (const [c, user] of [
      [alice, 'alice'],
      [bob, 'bob'],
      [carol, 'carol'],
    ] as const) {
      expect(await c.login({ user, password: 'secret-pw', register: true })).toBe(true);
    }
    const eve = await login(n1.port, { user: 'eve', password: 'secret-pw', register: true });
    await bob.submit('/msg alice before');
    await waitFor(alice, (s) => (s.messages.bob ?? []).some((m) => m.text === 'before'), 'alice has "before"');
    // Node 1 reads carol's block list now (eve writes to her), so it has it cached when carol blocks eve.
    expect(
      await eve.socket.timeout(5000).emitWithAck('message:send', { to: 'carol', text: 'hi carol', clientId: 'eve-00000001' }),
    ).toMatchObject({ ok: true });

    link2.cut();
    await until(() => n2.backend.client.status !== 'ready', 'node 2 to lose Redis');
    let attempts = 0;
    n2.backend.client.on('reconnecting', () => void attempts++);
    await bob.submit('/msg alice during the cut');
    await carol.submit('/msg alice a new conversation during the cut');
    await carol.submit('/block eve');
    await waitFor(
      carol,
      (s) =>
        (s.messages.alice ?? []).some((m) => m.status === 'sent') && s.responses.some((r) => /eve/.test(r.text) && /block/i.test(r.text)),
      'carol sent and blocked',
    );
    await waitFor(bob, (s) => s.messages.alice?.at(-1)?.status === 'sent', "bob's acknowledged");
    // ioredis gives up on what it queued after a few reconnect attempts: those deliveries are gone.
    await until(() => attempts >= 6, "node 2's queued commands to be given up");

    const syncNeeded = new Promise<{ reason: string }>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no sync:needed reached a client of node 1')), 15_000);
      eve.socket.once('sync:needed', (hint) => {
        clearTimeout(timer);
        resolve(hint);
      });
    });
    link2.mend();
    // Node 1 never lost Redis; only node 2's word tells its clients to catch up.
    expect(await syncNeeded).toEqual({ reason: 'redis_back' });
    await waitFor(alice, (s) => (s.messages.bob ?? []).some((m) => m.text === 'during the cut'), "alice has bob's message");
    // A conversation new to alice shows in her list with its unread message (its messages load when opened).
    await waitFor(
      alice,
      (s) => s.conversations.some((c) => c.with === 'carol' && c.unread === 1),
      "alice has carol's conversation, 1 unread",
    );
    await alice.open('carol');
    await waitFor(
      alice,
      (s) => (s.messages.carol ?? []).some((m) => m.text === 'a new conversation during the cut'),
      "alice reads carol's",
    );
    // The block made on node 2 during the cut holds on node 1 once node 2 is back.
    await until(async () => {
      const r = (await eve.socket
        .timeout(5000)
        .emitWithAck('message:send', { to: 'carol', text: 'still there?', clientId: `eve-${Date.now()}` })) as {
        ok: boolean;
        error?: { code: string };
      };
      return !r.ok && r.error?.code === 'blocked';
    }, 'node 1 to know carol blocks eve');
    // And carol's conversation with alice works live from here on.
    await carol.submit('/msg alice and after');
    await waitFor(alice, (s) => (s.messages.carol ?? []).some((m) => m.text === 'and after'), 'alice has "and after"');
    expect(unhandled).toEqual([]);
  } finally {
    process.off('unhandledRejection', onUnhandled);
  }
});
