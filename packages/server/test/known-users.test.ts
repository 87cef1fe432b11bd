/** KnownUsers: a short-lived "this account exists" cache in front of the store. */
import { expect, test } from '@jest/globals';
import { SqliteStore } from '../src/index.js';
import { KnownUsers } from '../src/known-users.js';

test('remembers names that exist for ttlMs, never names that do not', async () => {
  const store = new SqliteStore(':memory:');
  const users = new KnownUsers(store, 40);
  expect(await users.exists('alice')).toBe(false);
  await store.createUser('alice', 'hash', 1);
  // Not remembered as missing: a new account is found at once.
  expect(await users.exists('alice')).toBe(true);
  await store.removeUser('alice');
  // Removed behind the server's back (`tui-chat user remove`): still known until the time is up...
  expect(await users.exists('alice')).toBe(true);
  await new Promise((resolve) => setTimeout(resolve, 60));
  // ...then asked again.
  expect(await users.exists('alice')).toBe(false);
  await store.close();
});

test('stays bounded: past `max` names it starts again', async () => {
  const store = new SqliteStore(':memory:');
  for (const n of ['a1', 'a2', 'a3']) await store.createUser(n, 'hash', 1);
  const users = new KnownUsers(store, 60_000, 2);
  for (const n of ['a1', 'a2', 'a3']) expect(await users.exists(n)).toBe(true);
  expect((users as unknown as { until: Map<string, number> }).until.size).toBeLessThanOrEqual(2);
  await store.close();
});
