/** Password hashing: at most HASHING_SLOTS hashes run at once (one core stays for messages). */
import { execFileSync } from 'node:child_process';
import os from 'node:os';
import { expect, test } from '@jest/globals';
import { HASHING_NICE, HashPool } from '../src/auth/hash-pool.js';
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

test('hashes run on threads at nice 19 (Linux), read by each thread itself, so messages keep the CPU during a login flood', async () => {
  const pool = new HashPool(2);
  try {
    const nices = await pool.niceness();
    expect(nices).toEqual(process.platform === 'linux' ? [HASHING_NICE, HASHING_NICE] : nices);
    // The process itself (the event loop carrying messages) keeps its priority.
    expect(os.getPriority()).not.toBe(HASHING_NICE);
  } finally {
    await pool.close();
  }
});

test('a hashing thread that dies fails its job with an error, and the next hash runs on a new thread', async () => {
  const pool = new HashPool(1);
  const options = { algorithm: 2, memoryCost: 4096, timeCost: 1, parallelism: 1, outputLen: 32 };
  try {
    const stored = await pool.hash('before', options);
    expect(pool.started).toBe(1);
    // A long hash in flight when the thread dies: rejected, not left hanging.
    const inFlight = pool.hash('slow', { ...options, memoryCost: 65_536, timeCost: 8 });
    await pool.killOneForTests();
    await expect(inFlight).rejects.toThrow(/hashing thread stopped/);
    expect(await pool.verify(stored, 'before')).toBe(true);
    expect(await pool.verify(stored, 'wrong')).toBe(false);
    expect(pool.started).toBe(2);
  } finally {
    await pool.close();
  }
});

test('a process that only awaits a hash (the command line adding a user) waits for it instead of exiting', () => {
  const dist = new URL('../dist/auth/passwords.js', import.meta.url).href;
  const script = `import('${dist}').then(async (p) => { const h = await p.hashPassword('pw', { memoryKiB: 4096, passes: 1, parallelism: 1 }); console.log(await p.verifyPassword('pw', h)); })`;
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', timeout: 30_000 });
  expect(out.trim()).toBe('true');
});
