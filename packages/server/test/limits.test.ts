import { afterEach, describe, expect, test } from '@jest/globals';
import { cid, expectError, request, startHarness, until, type Harness } from './helpers.js';

let h: Harness;
afterEach(async () => {
  await h.close();
});

describe('limits', () => {
  test('a user sending too fast is refused with the wait; other users are not slowed', async () => {
    h = await startHarness({ limits: { messagesPerWindow: 5, windowSeconds: 30 } });
    const alice = await h.register('alice');
    const bob = await h.register('bob');
    for (let i = 0; i < 5; i++) {
      expect((await request(alice.socket, 'message:send', { to: 'bob', text: `m${i}`, clientId: cid() })).ok).toBe(true);
    }
    const err = expectError(await request(alice.socket, 'message:send', { to: 'bob', text: 'flood', clientId: cid() }), 'rate_limited');
    expect(err.retryAfter).toBeGreaterThan(0);
    expect(err.message).toMatch(/too fast; wait \d+ s/);
    // Another session of the same user shares the user's budget.
    const alice2 = await h.login('alice');
    expectError(await request(alice2.socket, 'broadcast:send', { text: 'flood', clientId: cid() }), 'rate_limited');
    // Bob is unaffected, and alice can still do things that are not messages.
    expect((await request(bob.socket, 'message:send', { to: 'alice', text: 'fine', clientId: cid() })).ok).toBe(true);
    expect((await request(alice.socket, 'presence:whoelse', {})).ok).toBe(true);
    const hist = await request(bob.socket, 'history:fetch', { with: 'alice' });
    expect(hist.ok && hist.messages.map((m) => m.text)).toEqual(['m0', 'm1', 'm2', 'm3', 'm4', 'fine']);
  });

  test('requests of any kind are limited per session', async () => {
    h = await startHarness({ limits: { requestsPerWindow: 4, windowSeconds: 30 } });
    const alice = await h.register('alice');
    for (let i = 0; i < 4; i++) expect((await request(alice.socket, 'presence:whoelse', {})).ok).toBe(true);
    expectError(await request(alice.socket, 'presence:whoelse', {}), 'rate_limited');
    const other = await h.login('alice');
    expect((await request(other.socket, 'presence:whoelse', {})).ok).toBe(true);
  });

  test('login attempts per address per minute', async () => {
    h = await startHarness({ limits: { loginsPerMinute: 3 } });
    await h.register('alice', 'right-pw');
    await h.refused({ user: 'alice', password: 'wrong' });
    await h.refused({ user: 'bob', password: 'wrong' });
    const err = await h.refused({ user: 'carol', password: 'wrong' });
    expect(err.code).toBe('rate_limited');
    expect(err.message).toMatch(/Too many login attempts from your address; try again in \d+ s/);
    await expect(h.login('alice', 'right-pw', {}, { localAddress: '127.0.0.3' })).resolves.toBeTruthy();
  });

  test('token reconnects have a budget of their own: 100 sessions behind one address come back after a restart at the default limits', async () => {
    h = await startHarness();
    // Made from four addresses, so their password logins stay within that budget (60 a minute each).
    const sessions = [];
    for (let i = 0; i < 100; i++) {
      const { session } = await h.login(`user${i}`, 'secret-pw', { register: true }, { localAddress: `127.0.0.${1 + (i % 4)}` });
      sessions.push(session);
    }
    await h.restart();
    // All from 127.0.0.1, in waves of 20 (the pending-connection cap, 32, is another limit).
    for (let i = 0; i < 100; i += 20) {
      await Promise.all(sessions.slice(i, i + 20).map((s) => h.login(s.user, undefined, { password: undefined, token: s.token })));
    }
    // The password logins' budget was not spent by them.
    await expect(h.login('user0')).resolves.toBeTruthy();
  });

  test('token reconnects per address per minute', async () => {
    h = await startHarness({ limits: { reconnectsPerMinute: 2 } });
    const { session } = await h.register('alice');
    const token = { password: undefined, token: session.token };
    await h.login('alice', undefined, token);
    await h.login('alice', undefined, token);
    const err = await h.refused({ user: 'alice', token: session.token });
    expect(err).toMatchObject({ code: 'rate_limited' });
    expect(err.message).toMatch(/Too many login attempts from your address; try again in \d+ s/);
    // A made-up token counts too (and is refused for the budget first).
    expect(await h.refused({ user: 'alice', token: 'made-up' })).toMatchObject({ code: 'rate_limited' });
    // Another address has its own budget.
    await expect(h.login('alice', undefined, token, { localAddress: '127.0.0.3' })).resolves.toBeTruthy();
  });

  test('connections per address', async () => {
    h = await startHarness({ limits: { connectionsPerAddress: 2 } });
    const first = await h.register('alice');
    await h.login('alice');
    const err = await h.refused({ user: 'alice', password: 'secret-pw' });
    expect(err.code).toBe('rate_limited');
    expect(err.message).toMatch(/Too many connections from your address/);
    const closed = new Promise<void>((resolve) => first.socket.once('disconnect', () => resolve()));
    first.socket.disconnect();
    await closed;
    // The server gives the slot back when it sees the TCP connection close (the refused one's too).
    await until(() => h.server.context.connections.of('127.0.0.1').open === 1);
    await expect(h.login('alice')).resolves.toBeTruthy();
  });
});
