/** One login's state in one object: dropped as a whole (outbox, read markers, timers) when the session ends. */
import { expect, test } from '@jest/globals';
import { Session } from '../../src/core/session.js';

test("drop() clears the outbox and read markers, stops the session's timers, and ends its open() serial", async () => {
  const s = new Session(5);
  s.outbox.add({ kind: 'direct', clientId: 'c1-xxxxxxxx', to: 'bob', text: 'hi' }, true);
  s.reads.read('bob', 7);
  s.gapChecks.add('bob');
  let fired = false;
  s.later(1, () => (fired = true));
  const serial = s.openSerial;
  s.drop();
  expect(s.alive).toBe(false);
  expect(s.outbox.size).toBe(0);
  expect(s.reads.readSeq('bob')).toBe(0);
  expect(s.gapChecks.size).toBe(0);
  expect(s.openSerial).toBeGreaterThan(serial);
  await new Promise((r) => setTimeout(r, 5));
  expect(fired).toBe(false);
  s.later(0, () => (fired = true)); // a dropped session schedules nothing
  await new Promise((r) => setTimeout(r, 5));
  expect(fired).toBe(false);
});
