/**
 * The outbox's send loop: a drain asked while one runs makes it go round once more, and a drain
 * asked at the very moment one ends starts a new one. Before, one microtask separated the loop's
 * last look at the queue from its end, and a message sent in that moment (typed just as the
 * connection came back, while the resend of the outbox finished) stayed pending until the next
 * reconnect.
 */
import { expect, test } from '@jest/globals';
import { Outbox } from '../../src/core/outbox.js';

async function hops(n: number): Promise<void> {
  for (let i = 0; i < n; i++) await Promise.resolve();
}

test.each([0, 1, 2, 3, 4, 5, 6, 8])('a message added %i microtasks after a drain began is sent by it or by a new one', async (k) => {
  const outbox = new Outbox();
  // A stand-in for the queue: the loop sends what is waiting, as send.ts's loop does.
  let waiting = 0;
  let sent = 0;
  const loop = async () => {
    await Promise.resolve(); // a request's round trip
    sent += waiting;
    waiting = 0;
  };
  const first = outbox.drain(loop);
  await hops(k);
  waiting++;
  const second = outbox.drain(loop);
  await Promise.all([first, second]);
  await hops(10);
  expect(sent).toBe(1);
});

test('drains asked while a loop runs make it go round once more, not once each', async () => {
  const outbox = new Outbox();
  let rounds = 0;
  let release!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  const loop = async () => {
    rounds++;
    if (rounds === 1) await gate;
  };
  const running = outbox.drain(loop);
  expect(outbox.drain(loop)).toBe(running);
  expect(outbox.drain(loop)).toBe(running);
  release();
  await running;
  expect(rounds).toBe(2);
});
