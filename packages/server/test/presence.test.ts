import { afterEach, beforeEach, describe, expect, test } from '@jest/globals';
import { disconnected, expectError, request, startHarness, type Harness } from './helpers.js';

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(async () => {
  await h.close();
});

describe('whoelse and wholast', () => {
  test('whoelse lists the other users online now', async () => {
    const alice = await h.register('alice');
    await h.register('bob');
    await h.register('carol');
    const reply = await request(alice.socket, 'presence:whoelse', {});
    expect(reply.ok && reply.users).toEqual(['bob', 'carol']);
  });

  test('wholast N: online now plus those seen in the window, never yourself', async () => {
    const alice = await h.register('alice');
    await h.register('bob');
    const dave = await h.register('dave');
    const gone = disconnected(dave.socket);
    dave.socket.disconnect();
    await gone;
    // The server records the disconnect; wait until it is visible rather than guessing a delay.
    let users: string[] = [];
    for (let i = 0; i < 50 && !users.includes('dave'); i++) {
      const r = await request(alice.socket, 'presence:wholast', { minutes: 5 });
      users = r.ok ? r.users : [];
    }
    expect(users).toEqual(['bob', 'dave']);
    // Someone seen long ago is outside a 1-minute window.
    await h.server.store.createUser('erin', 'x', Date.now());
    await h.server.store.touchLastSeen(['erin'], Date.now() - 10 * 60_000);
    const one = await request(alice.socket, 'presence:wholast', { minutes: 1 });
    expect(one.ok && one.users).toEqual(['bob', 'dave']);
    const fifteen = await request(alice.socket, 'presence:wholast', { minutes: '15' });
    expect(fifteen.ok && fifteen.users).toEqual(['bob', 'dave', 'erin']);
    const who = await request(alice.socket, 'presence:whoelse', {});
    expect(who.ok && who.users).toEqual(['bob']);
  });

  test.each([0, -1, 'abc', 1.5, 525_601, 1e12, '', ' 5x'])('wholast %p is refused with a clear error', async (minutes) => {
    const alice = await h.register('alice');
    const err = expectError(await request(alice.socket, 'presence:wholast', { minutes }), 'invalid_minutes');
    expect(err.message).toMatch(/whole number from 1 to 525600/);
  });

  test('wholast accepts the whole range', async () => {
    const alice = await h.register('alice');
    for (const minutes of [1, 60, 525_600]) {
      expect((await request(alice.socket, 'presence:wholast', { minutes })).ok).toBe(true);
    }
  });
});
