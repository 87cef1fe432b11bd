/**
 * Logins under attack (red-team items 1 and 5): guesses sent at once cannot outrun the three-strikes
 * lockout, and a flood of logins from one address can neither hold the hashing queue nor starve
 * another address's login. (Item 1 across two nodes: cluster/two-nodes.test.ts.)
 */
import { afterEach, expect, test } from '@jest/globals';
import type { ChatError } from '@tui-chat/protocol';
import { FairSlots, HASH_QUEUE_MAX, HashingBusy, hashingLoad } from '../../src/auth/passwords.js';
import { startHarness, until, type Harness } from '../helpers.js';

let h: Harness;
afterEach(async () => {
  await h?.close();
});

/** A cost that keeps each hash busy for tens of ms, so attempts sent together overlap. */
const SLOWER = { memoryKiB: 32 * 1024, passes: 4, parallelism: 1 };

const outcome = (p: Promise<unknown>): Promise<ChatError | 'ok'> =>
  p.then(
    () => 'ok' as const,
    (err: { data: ChatError }) => err.data,
  );

test('eleven wrong guesses at once, then the right password: three are hashed, the rest and the right one are refused as locked', async () => {
  h = await startHarness({ passwordCost: SLOWER });
  await h.register('alice', 'right-password');
  const before = hashingLoad().started;
  const guesses = Array.from({ length: 11 }, (_, i) => outcome(h.login('alice', `guess-${i}`)));
  const right = outcome(h.login('alice', 'right-password'));
  const results = await Promise.all([...guesses, right]);
  // Only three attempts were ever checked: the lockout's three strikes.
  expect(hashingLoad().started - before).toBe(3);
  const codes = results.map((r) => (r === 'ok' ? 'ok' : r.code));
  expect(codes).not.toContain('ok');
  expect(codes.filter((c) => c === 'bad_credentials' || c === 'locked_out')).toHaveLength(12);
  const last = results.at(-1) as ChatError;
  expect(last.code).toBe('locked_out');
  expect(last.message).toMatch(
    /^Too many (login attempts for alice at once from your address|wrong passwords for alice); try again in \d+ s\.$/,
  );
  // Once they are all settled the name is locked from this address: the right password waits the minute out.
  const after = await outcome(h.login('alice', 'right-password'));
  expect(after).toMatchObject({
    code: 'locked_out',
    message: expect.stringMatching(/^Too many wrong passwords for alice; try again in (5\d|60) s\.$/),
  });
  // From another address it works at once.
  await expect(h.login('alice', 'right-password', {}, { localAddress: '127.0.0.2' })).resolves.toBeTruthy();
});

test('an honest login is not starved by a flood from another address: the queue is bounded and addresses take turns', async () => {
  h = await startHarness({ passwordCost: SLOWER, limits: { loginsPerMinute: 1000, pendingPerAddress: 200 } });
  await h.register('honest', 'right-password');
  // 120 junk logins from one address, each for another name (no lockout to stop them).
  const finished: string[] = [];
  const junk = Array.from({ length: 120 }, (_, i) =>
    outcome(h.login(`junk${i}`, 'whatever')).then((r) => {
      if (r !== 'ok' && r.code !== 'rate_limited') finished.push(`junk${i}`);
      return r;
    }),
  );
  await until(() => hashingLoad().waiting >= HASH_QUEUE_MAX, 'the queue full of junk');
  const honest = outcome(h.login('honest', 'right-password', {}, { localAddress: '127.0.0.2' })).then((r) => {
    finished.push('honest');
    return r;
  });
  expect(await honest).toBe('ok');
  // The queue is full, yet it gets in, and takes its turn: before it, only the hashes that finish
  // while its connection is made (a few ms) and one turn of the flooding address, not the 64 waiting.
  expect(finished.indexOf('honest')).toBeLessThanOrEqual(12);
  const results = await Promise.all(junk);
  // Beyond its share, the flooding address is told at once that the server is busy, and when to come back.
  const busy = results.filter((r): r is ChatError => r !== 'ok' && r.code === 'rate_limited');
  // (Hashes finishing meanwhile make room for a few more: the rest of the flood is refused, not queued.)
  expect(busy.length).toBeGreaterThanOrEqual(120 - HASH_QUEUE_MAX - 30);
  expect(busy[0]!.message).toMatch(/^The server is busy checking other logins; try again in \d+ s\.$/);
  expect(busy[0]!.retryAfter).toBeGreaterThanOrEqual(1);
  expect(results.filter((r) => r !== 'ok' && r.code === 'bad_credentials')).toHaveLength(120 - busy.length);
});

test('the hashing slots: addresses take turns; when the queue is full, an address beyond its share is refused, one within it is not', async () => {
  const slots = new FairSlots(1, 7, 4);
  const order: string[] = [];
  const gates: (() => void)[] = [];
  const job = (name: string) => () =>
    new Promise<void>((resolve) => {
      order.push(name);
      gates.push(resolve);
    });
  const runs = [
    slots.run('a', job('a0'), true),
    ...[1, 2, 3, 4].map((i) => slots.run('a', job(`a${i}`), true)),
    slots.run('b', job('b1'), true),
    slots.run('c', job('c1'), true),
    slots.run('b', job('b2'), true),
  ];
  // The queue is full (7): a's fifth waiter is over its share, refused at once with when to come back.
  await expect(slots.run('a', job('a5'), true)).rejects.toBeInstanceOf(HashingBusy);
  // c has one waiting, within its share: taken even though the queue is full.
  runs.push(slots.run('c', job('c2'), true));
  // The command line's own work is never refused.
  runs.push(slots.run('local', job('local'), false));
  expect(slots.load()).toMatchObject({ running: 1, waiting: 9 });
  while (order.length < 10) {
    await until(() => gates.length > 0);
    gates.shift()!();
    await new Promise((r) => setImmediate(r));
  }
  gates.shift()?.();
  await Promise.all(runs);
  expect(order).toEqual(['a0', 'a1', 'b1', 'c1', 'local', 'a2', 'b2', 'c2', 'a3', 'a4']);
});
