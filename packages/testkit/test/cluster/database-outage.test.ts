/**
 * A node whose PostgreSQL goes out of reach for a while (the link to it cut, as a network
 * partition or a database restart would), then comes back: requests that need the database say
 * so in a sentence, a message sent meanwhile goes out by itself once the database answers again,
 * and the node needs no restart. Real server, PostgreSQL, Redis and ChatClients.
 */
import { afterAll, afterEach, beforeAll, expect, test } from '@jest/globals';
import { ChatClient } from '@tui-chat/client';
import { connectRedis, createChatServer, PostgresStore, type ChatServer } from '@tui-chat/server';
import { TEST_COST } from '@tui-chat/testkit';
import { waitFor } from '../faults/fixtures.js';
import { createTestDatabase, testRedis, type TestDatabase, type TestRedis } from '@tui-chat/testkit';
import { outageClient, tcpLink, untilHealth, viaLink, type TcpLink } from './outage.js';

let db: TestDatabase;
let redis: TestRedis;
let link: TcpLink;
let server: ChatServer | undefined;
const clients: ChatClient[] = [];

beforeAll(async () => {
  db = await createTestDatabase();
  redis = await testRedis();
  const target = new URL(db.url);
  link = await tcpLink(target.hostname, Number(target.port || 5432));
});
afterEach(async () => {
  for (const c of clients.splice(0)) c.close();
  await server?.close();
});
afterAll(async () => {
  await link?.close();
  await redis?.cleanup();
  await db?.drop();
});

const client = (port: number): ChatClient => outageClient(port, clients);

test('the database out of reach, then back: refused with a sentence meanwhile, the message goes out after', async () => {
  const store = await PostgresStore.open(viaLink(db.url, link), { connectTimeoutMs: 1000 });
  server = createChatServer({ store, redis: await connectRedis(redis.url, { prefix: redis.prefix }), passwordCost: TEST_COST });
  const { port } = await server.listen();
  const alice = client(port);
  const bob = client(port);
  expect(await alice.login({ user: 'alice', password: 'secret-pw', register: true })).toBe(true);
  expect(await bob.login({ user: 'bob', password: 'secret-pw', register: true })).toBe(true);
  await alice.submit('/msg bob before');
  await waitFor(bob, (s) => (s.messages.alice ?? []).some((m) => m.text === 'before'), 'bob has "before"');

  const healthOf = async () => {
    const res = await fetch(`http://127.0.0.1:${port}/tui-chat/health`);
    return { status: res.status, body: (await res.json()) as unknown };
  };
  expect(await healthOf()).toEqual({ status: 200, body: { ok: true, database: 'ok', redis: 'ok' } });

  link.cut();
  // A balancer's health check (asked again and again, as balancers do; answers are kept 1 s) sees
  // that the node cannot do its work.
  expect(await untilHealth(healthOf, 503)).toEqual({ status: 503, body: { ok: false, database: 'unreachable', redis: 'ok' } });
  await alice.submit('/msg bob during the cut');
  await waitFor(alice, (s) => s.responses.some((r) => /cannot reach its database/.test(r.text)), 'alice told');
  await alice.submit('/inbox');
  await waitFor(
    alice,
    (s) => s.responses.at(-1)?.text === 'The server cannot reach its database just now; try again in a moment.',
    'inbox refused',
  );

  link.mend();
  expect((await untilHealth(healthOf, 200)).status).toBe(200);
  await waitFor(bob, (s) => (s.messages.alice ?? []).some((m) => m.text === 'during the cut'), 'bob has the message after');
  await waitFor(alice, (s) => s.messages.bob?.at(-1)?.status === 'sent', 'alice sees it sent');
  expect(bob.getState().messages.alice!.map((m) => m.text)).toEqual(['before', 'during the cut']);
});
