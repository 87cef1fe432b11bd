import { describe, expect, test } from '@jest/globals';
import { disconnected, expectError, request, startHarness } from './helpers.js';
import { perTest } from '@tui-chat/testkit';

const h = perTest(() => startHarness());

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

describe('users:list', () => {
  test('every user by name with whether they are online, a page at a time, by prefix', async () => {
    const alice = await h.register('alice');
    await h.register('bob');
    for (const n of ['zoe', 'al.b', 'carol']) await h.server.store.createUser(n, 'x', Date.now());
    const all = await request(alice.socket, 'users:list', {});
    expect(all.ok && all).toEqual({
      ok: true,
      users: [
        { name: 'al.b', online: false },
        { name: 'alice', online: true },
        { name: 'bob', online: true },
        { name: 'carol', online: false },
        { name: 'zoe', online: false },
      ],
      more: false,
    });
    const first = await request(alice.socket, 'users:list', { limit: 2 });
    expect(first.ok && first.users.map((u) => u.name)).toEqual(['al.b', 'alice']);
    expect(first.ok && first.more).toBe(true);
    const next = await request(alice.socket, 'users:list', { limit: 2, after: 'alice' });
    expect(next.ok && next.users.map((u) => u.name)).toEqual(['bob', 'carol']);
    const last = await request(alice.socket, 'users:list', { limit: 2, after: 'carol' });
    expect(last.ok && last).toMatchObject({ users: [{ name: 'zoe' }], more: false });
    const al = await request(alice.socket, 'users:list', { prefix: 'AL' });
    expect(al.ok && al.users.map((u) => u.name)).toEqual(['al.b', 'alice']);
  });

  test('a page is never larger than the most a page holds', async () => {
    const alice = await h.register('alice');
    for (let i = 0; i < 520; i++) await h.server.store.createUser(`u${String(i).padStart(3, '0')}`, 'x', 1);
    const r = await request(alice.socket, 'users:list', { limit: 10_000 });
    expect(r.ok && r.users).toHaveLength(500);
    expect(r.ok && r.more).toBe(true);
  });

  test.each([
    [{ prefix: 'a b' }, 'invalid_name', /No name starts with "a b"/],
    [{ prefix: 'é' }, 'invalid_name', /names are a-z/],
    [{ after: '../x' }, 'bad_request', /after/],
    [{ limit: 0 }, 'bad_request', /./],
    [{ prefix: 'x'.repeat(65) }, 'bad_request', /./],
  ])('%p is refused with a sentence', async (payload, code, message) => {
    const alice = await h.register('alice');
    const err = expectError(await request(alice.socket, 'users:list', payload as never), code as never);
    expect(err.message).toMatch(message);
  });
});
