/**
 * The message budget in a cluster (cluster/shared-window.ts): each node counts by itself and
 * syncs with Redis every 100 ms. Two Limits on one real Redis (a key prefix of this run) stand
 * for two nodes. Waits are on syncs (SharedWindow.synced), never on time.
 */
import net from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, test } from '@jest/globals';
import { Redis } from 'ioredis';
import { testRedis, type TestRedis } from '@tui-chat/testkit';
import { DEFAULT_LIMITS, Limits } from '../../src/limits.js';
import type { SharedWindow } from '../../src/cluster/shared-window.js';

let redis: TestRedis;
const made: Limits[] = [];
const clients: Redis[] = [];
beforeAll(async () => {
  redis = await testRedis();
});
afterEach(async () => {
  for (const l of made.splice(0)) l.close();
  // (An ended client's disconnect would leave a timer behind.)
  for (const c of clients.splice(0)) if (c.status !== 'end') c.disconnect();
  const keys = await redis.keys();
  if (keys.length > 0) await redis.client.del(...keys);
});
afterAll(async () => {
  await redis.cleanup();
});

/** A node's limits: `points` messages per user per minute, shared through `client`. */
function node(points: number, client: Redis = redis.client): Limits {
  const limits = new Limits({ ...DEFAULT_LIMITS, messagesPerWindow: points, windowSeconds: 60 }, { redis: client, prefix: redis.prefix });
  made.push(limits);
  return limits;
}
const shared = (l: Limits): SharedWindow => l.messages as SharedWindow;
/** Waits until every node's next sync has finished. */
const synced = (...nodes: Limits[]): Promise<unknown> => Promise.all(nodes.map((l) => shared(l).synced()));
const counter = async (user: string): Promise<number> => Number(await redis.client.get(`${redis.prefix}rl:messages:${user}`));

/** A client of a port nothing listens on: Redis out of reach. */
async function unreachable(): Promise<Redis> {
  const port = await new Promise<number>((resolve) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
  const client = new Redis({ host: '127.0.0.1', port, lazyConnect: true, retryStrategy: () => null, maxRetriesPerRequest: 0 });
  client.on('error', () => undefined);
  clients.push(client);
  await client.connect().catch(() => undefined);
  return client;
}

describe('a message budget shared by two nodes through Redis', () => {
  test('once one node used up the budget and both synced, both refuse, with the wait of the one window', async () => {
    const a = node(5);
    const b = node(5);
    // rex has a session on each node; one message went through b.
    expect(b.message('rex')).toBe(0);
    for (let i = 0; i < 4; i++) expect(a.message('rex')).toBe(0);
    // Each node's increments reach Redis; then each reads back the other's.
    await synced(a, b);
    expect(await counter('rex')).toBe(5);
    await synced(a, b);
    for (const l of [b, a]) {
      const wait = l.message('rex');
      expect(wait).toBeGreaterThan(50);
      expect(wait).toBeLessThanOrEqual(60);
    }
    // Refusals are not counted; another user has a budget of his own.
    await synced(a, b);
    expect(await counter('rex')).toBe(5);
    expect(a.message('sue')).toBe(0);
    // The counter expires with the window.
    const ttl = await redis.client.pttl(`${redis.prefix}rl:messages:rex`);
    expect(ttl).toBeGreaterThan(50_000);
    expect(ttl).toBeLessThanOrEqual(60_000);
  });

  test('overshoot: a user flooding both nodes gets the budget and at most two sync intervals of messages per node more', async () => {
    const points = 20;
    const perInterval = 3;
    const a = node(points);
    const b = node(points);
    let admitted = 0;
    for (let round = 0; round < 30; round++) {
      let refusedEverywhere = true;
      for (let i = 0; i < perInterval; i++) {
        for (const l of [a, b]) {
          if (l.message('rex') > 0) continue;
          admitted++;
          refusedEverywhere = false;
        }
      }
      if (refusedEverywhere) break;
      await synced(a, b);
    }
    expect(admitted).toBeGreaterThanOrEqual(points);
    expect(admitted).toBeLessThanOrEqual(points + 2 * 2 * perInterval);
    await synced(a, b);
    expect(await counter('rex')).toBe(admitted);
  });

  test('Redis out of reach: each node counts alone, refusing nothing more and waving nothing through', async () => {
    const limits = node(3, await unreachable());
    for (let i = 0; i < 3; i++) expect(limits.message('rex')).toBe(0);
    expect(limits.message('rex')).toBeGreaterThan(0);
    expect(limits.message('sue')).toBe(0);
    // A sync while it is out of reach does nothing and fails nothing.
    await expect(shared(limits).sync()).resolves.toBeUndefined();
  });

  test('what a node counted while Redis was out of reach is added once it is back', async () => {
    const client = new Redis(redis.url, { lazyConnect: true });
    clients.push(client);
    const limits = node(10, client);
    expect(client.status).not.toBe('ready');
    for (let i = 0; i < 4; i++) expect(limits.message('rex')).toBe(0);
    await client.connect();
    await synced(limits);
    expect(await counter('rex')).toBe(4);
  });
});
