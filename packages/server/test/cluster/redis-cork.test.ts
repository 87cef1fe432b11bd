/**
 * The shared Redis connection writes the commands of one turn of the event loop together
 * (cluster/redis.ts, corkPerTurn): what goes out in a turn leaves once the turn is done, every
 * command still gets its own reply, in order. Real Redis, a key prefix of this run.
 */
import { afterAll, beforeAll, expect, test } from '@jest/globals';
import { testRedis, type TestRedis } from '@tui-chat/testkit';
import { connectRedis, type RedisBackend } from '../../src/cluster/redis.js';

let redis: TestRedis;
let backend: RedisBackend;
beforeAll(async () => {
  redis = await testRedis();
  backend = await connectRedis(redis.url, { prefix: redis.prefix });
});
afterAll(async () => {
  await backend.close();
  await redis.cleanup();
});

const turnDone = (): Promise<void> => new Promise((resolve) => process.nextTick(resolve));

test("a turn's commands leave together once the turn is done, each answered in order", async () => {
  const client = backend.client;
  const key = `${redis.prefix}cork`;
  const replies = Array.from({ length: 2_000 }, () => client.incr(key));
  expect(client.stream.writableCorked).toBe(1);
  expect(client.stream.writableLength).toBeGreaterThan(0);
  await turnDone();
  expect(client.stream.writableCorked).toBe(0);
  expect(await Promise.all(replies)).toEqual(Array.from({ length: 2_000 }, (_, i) => i + 1));
  // A command awaited on its own still goes out (nothing waits for a timer).
  expect(await client.incr(key)).toBe(2_001);
});
