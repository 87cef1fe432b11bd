/**
 * A whoelse answer computed before someone came online must not undo the presence update that
 * arrived while the answer was on its way (seen in real terminals: a user missing from the list).
 */
import { afterEach, beforeEach, expect, test } from '@jest/globals';
import { handlers } from '@tui-chat/server';
import { startHarness, waitFor, type Harness } from '@tui-chat/testkit';

let h: Harness;
const realWhoelse = handlers['presence:whoelse'];
beforeEach(async () => {
  h = await startHarness();
});
afterEach(async () => {
  handlers['presence:whoelse'] = realWhoelse;
  await h.close();
});

test('a stale whoelse answer does not hide a user who came online meanwhile', async () => {
  let release!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  let asked!: () => void;
  const bobAsked = new Promise<void>((resolve) => (asked = resolve));
  // Bob's first whoelse is answered as it stood then (nobody else online), but only after alice is in.
  handlers['presence:whoelse'] = async (req) => {
    const answer = await realWhoelse(req);
    if (req.user === 'bob') {
      asked();
      await gate;
    }
    return answer;
  };
  const bob = h.client();
  const bobIn = bob.login({ user: 'bob', password: 'secret-pw', register: true });
  await bobAsked;
  const alice = await h.register('alice');
  await waitFor(bob, (s) => s.online.includes('alice'), 'the presence update for alice');
  release();
  expect(await bobIn).toBe(true); // login() resolves once the whoelse answer is applied
  expect(bob.getState().online).toEqual(['alice']);
  alice.close();
  await waitFor(bob, (s) => s.online.length === 0, 'alice going offline');
});
