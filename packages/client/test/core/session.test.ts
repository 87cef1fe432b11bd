/** One login's state in one object: dropped as a whole (outbox, read markers, timers) when the session ends. */
import { expect, test } from '@jest/globals';
import { Session } from '../../src/core/session.js';
import { startHarness, waitFor } from './harness.js';

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

test('after a logout, another user logging in on the same client starts from a fresh session: nothing of the first one carries over', async () => {
  const h = await startHarness();
  try {
    await h.register('bob');
    await h.register('carol');
    const alice = await h.register('alice');
    await h.stop();
    await alice.submit('/msg bob queued while the server is down');
    expect(alice.getState().messages.bob?.at(-1)?.status).toBe('pending');
    await alice.logout();
    await h.start();
    // carol sits down at the same terminal.
    expect(await alice.login({ user: 'carol', password: 'secret-pw' })).toBe(true);
    const s = await waitFor(alice, (st) => st.screen === 'chat', 'the chat screen');
    expect(s.user).toBe('carol');
    expect(s.messages.bob ?? []).toEqual([]);
    // alice's queued message is not sent as carol's (nor as alice's by carol's session).
    await alice.submit('/whoelse');
    const bob = await h.login('bob');
    await bob.open('carol');
    await bob.open('alice');
    expect(bob.getState().messages.carol ?? []).toEqual([]);
    expect(bob.getState().messages.alice ?? []).toEqual([]);
  } finally {
    await h.close();
  }
});
