/** Password hashing: at most HASHING_SLOTS hashes run at once (one core stays for messages). */
import { expect, test } from '@jest/globals';
import { HASHING_SLOTS, hashingLoad, hashPassword, verifyPassword } from '../src/auth/passwords.js';

test('a burst of hashes runs at most HASHING_SLOTS at a time, and every one completes correctly', async () => {
  const cost = { memoryKiB: 4096, passes: 1, parallelism: 1 };
  const n = HASHING_SLOTS + 4;
  const hashes = Array.from({ length: n }, (_, i) => hashPassword(`password-${i}`, cost));
  expect(hashingLoad()).toMatchObject({ running: HASHING_SLOTS, waiting: 4 });
  const done = await Promise.all(hashes);
  expect(hashingLoad()).toMatchObject({ running: 0, waiting: 0 });
  const checks = await Promise.all(done.map((h, i) => Promise.all([verifyPassword(`password-${i}`, h), verifyPassword('wrong', h)])));
  expect(checks).toEqual(Array.from({ length: n }, () => [true, false]));
  expect(hashingLoad()).toMatchObject({ running: 0, waiting: 0 });
});

test('a failing hash frees its slot', async () => {
  const bad = { memoryKiB: 1, passes: 1, parallelism: 1 }; // Argon2 needs at least 8 KiB per lane
  await expect(hashPassword('x', bad)).rejects.toThrow();
  expect(hashingLoad()).toMatchObject({ running: 0, waiting: 0 });
});
