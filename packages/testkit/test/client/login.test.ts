import { afterEach, describe, expect, test } from '@jest/globals';
import net from 'node:net';
import { ChatClient } from '@tui-chat/client';
import { startHarness, waitFor, type Harness } from '@tui-chat/testkit';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

describe('login screen', () => {
  test('reads registrationOpen from the info endpoint before logging in', async () => {
    h = await startHarness();
    const c = h.client();
    const s = await waitFor(c, (st) => st.registrationOpen !== null, 'registrationOpen');
    expect(s).toMatchObject({ registrationOpen: true, screen: 'login', connection: 'idle', server: h.display });
  });

  test('says at once when nothing answers at the address, asks again, and sees the server when it comes', async () => {
    h = await startHarness();
    await h.stop();
    const c = h.client();
    const silent = await waitFor(c, (st) => st.serverCheck?.state === 'silent', 'the server said silent');
    expect(silent.serverCheck).toMatchObject({ state: 'silent', problem: 'connection refused' });
    expect(silent.registrationOpen).toBeNull();
    await h.start();
    const back = await waitFor(c, (st) => st.serverCheck?.state === 'answers', 'the server seen', 8000);
    expect(back.registrationOpen).toBe(true);
  });

  test('an address where something else answers is named as not a tui-chat server', async () => {
    const other = net.createServer((sock) => sock.end('HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n'));
    await new Promise<void>((resolve) => other.listen(0, '127.0.0.1', resolve));
    const port = (other.address() as net.AddressInfo).port;
    const c = new ChatClient({ url: `http://127.0.0.1:${port}`, display: `127.0.0.1:${port}` });
    try {
      const s = await waitFor(c, (st) => st.serverCheck?.state === 'silent', 'silent');
      expect(s.serverCheck).toMatchObject({ problem: 'something answers there, but not a tui-chat server (HTTP 404)' });
    } finally {
      c.close();
      other.close();
    }
  });

  test('register, then log in with the password on another client', async () => {
    h = await startHarness();
    const alice = h.client();
    const states: string[] = [];
    alice.subscribe((s) => states.push(`${s.screen}/${s.connection}`));
    expect(await alice.login({ user: 'Alice', password: 'secret-pw', register: true })).toBe(true);
    expect(alice.getState()).toMatchObject({ screen: 'chat', connection: 'connected', user: 'alice', loginError: null });
    expect(states).toContain('login/connecting');
    expect(states.at(-1)).toBe('chat/connected');
    expect(alice.getState().conversations.map((c) => c.with)).toEqual(['(broadcasts)']);
    const again = h.client();
    expect(await again.login({ user: 'alice', password: 'secret-pw' })).toBe(true);
    // Both sessions are online at once; each sees the other user... but alice sees no one else.
    expect(again.getState().online).toEqual([]);
  });

  test('a wrong password keeps the login screen with the reason', async () => {
    h = await startHarness();
    await h.register('alice');
    const c = h.client();
    expect(await c.login({ user: 'alice', password: 'wrong-pw' })).toBe(false);
    expect(c.getState()).toMatchObject({ screen: 'login', connection: 'idle', loginError: 'Wrong user name or password.' });
    expect(await c.login({ user: 'alice', password: 'secret-pw' })).toBe(true);
    expect(c.getState().loginError).toBeNull();
  });

  test('three wrong passwords lock the name, and the error says how many seconds are left', async () => {
    h = await startHarness({ lockoutSeconds: 60 });
    await h.register('alice');
    const c = h.client();
    expect(await c.login({ user: 'alice', password: 'nope-1' })).toBe(false);
    expect(await c.login({ user: 'alice', password: 'nope-2' })).toBe(false);
    // A plain wrong password has no retry time (nothing to count down).
    expect(c.getState().loginRetryAt).toBeNull();
    const before = Date.now();
    expect(await c.login({ user: 'alice', password: 'nope-3' })).toBe(false);
    expect(c.getState().loginError).toMatch(/locked .* for 60 s/);
    // The screen counts down to this.
    expect(c.getState().loginRetryAt).toBeGreaterThanOrEqual(before + 59_000);
    expect(c.getState().loginRetryAt).toBeLessThanOrEqual(Date.now() + 60_000);
    expect(await c.login({ user: 'alice', password: 'secret-pw' })).toBe(false);
    expect(c.getState().loginError).toMatch(/try again in \d+ s/);
    expect(c.getState().screen).toBe('login');
  });

  test('registration closed: known from the info endpoint, and refused with a clear reason', async () => {
    h = await startHarness({ registration: 'closed' });
    const c = h.client();
    await waitFor(c, (s) => s.registrationOpen === false, 'registrationOpen false');
    expect(await c.login({ user: 'newbie', password: 'secret-pw', register: true })).toBe(false);
    expect(c.getState().loginError).toMatch(/does not accept new accounts/);
  });

  test('a taken name is refused', async () => {
    h = await startHarness();
    await h.register('alice');
    const c = h.client();
    expect(await c.login({ user: 'alice', password: 'other-pw', register: true })).toBe(false);
    expect(c.getState().loginError).toBe('The name alice is taken; choose another.');
  });

  test('bad input is refused before connecting', async () => {
    h = await startHarness();
    const c = h.client();
    expect(await c.login({ user: '../etc', password: 'x' })).toBe(false);
    expect(c.getState().loginError).toMatch(/user name may only hold/);
    expect(await c.login({ user: 'alice', password: '' })).toBe(false);
    expect(c.getState().loginError).toBe('Enter a password.');
    expect(await c.login({ user: 'alice', password: 'ab', register: true })).toBe(false);
    expect(c.getState().loginError).toMatch(/at least 4/);
    expect(h.handshakes).toEqual([]);
  });

  test('an unreachable server: the login error says it cannot reach host:port', async () => {
    // A port that was free a moment ago and has nothing listening now.
    const port = await new Promise<number>((resolve) => {
      const srv = net.createServer().listen(0, '127.0.0.1', () => {
        const p = (srv.address() as net.AddressInfo).port;
        srv.close(() => resolve(p));
      });
    });
    const c = new ChatClient({ url: `http://127.0.0.1:${port}`, display: `127.0.0.1:${port}` });
    try {
      expect(await c.login({ user: 'alice', password: 'secret-pw' })).toBe(false);
      expect(c.getState().loginError).toMatch(new RegExp(`^Cannot reach the server at 127\\.0\\.0\\.1:${port}`));
      expect(c.getState()).toMatchObject({ screen: 'login', registrationOpen: null });
    } finally {
      c.close();
    }
  });
});

describe('leaving', () => {
  test('/logout ends the session on the server and returns to the login screen', async () => {
    h = await startHarness();
    const alice = await h.register('alice');
    await alice.submit('/logout');
    expect(alice.getState()).toMatchObject({ screen: 'login', connection: 'offline', user: null, server: h.display });
    expect(alice.getState().responses).toEqual([]);
    expect(h.received.filter((r) => r.user === 'alice').map((r) => r.event)).toContain('session:logout');
    expect(await alice.login({ user: 'alice', password: 'secret-pw' })).toBe(true);
  });

  test('logout() from the UI and /quit', async () => {
    h = await startHarness();
    const alice = await h.register('alice');
    await alice.logout();
    expect(alice.getState().screen).toBe('login');
    const bob = await h.register('bob');
    await bob.submit('/quit');
    expect(bob.getState()).toMatchObject({ quitRequested: true, connection: 'offline' });
    const sawLogout = h.received.some((r) => r.user === 'bob' && r.event === 'session:logout');
    expect(sawLogout).toBe(true);
  });

  test('the idle timeout logs out with a message on the login screen', async () => {
    h = await startHarness({ idleTimeoutSeconds: 1 });
    const alice = await h.register('alice');
    const s = await waitFor(alice, (st) => st.screen === 'login', 'the login screen after the idle timeout');
    expect(s.loginError).toMatch(/Logged out after 1 s without a key pressed/);
    expect(s.connection).toBe('offline');
  });

  test('before an idle logout the client warns, and a key pressed then keeps the session', async () => {
    h = await startHarness({ idleTimeoutSeconds: 2 });
    const alice = await h.register('alice');
    // Warned half the timeout before (a minute before, for timeouts of two minutes and more).
    const warned = await waitFor(alice, (st) => (st.idleLogoutAt ?? null) !== null, 'the warning');
    expect(warned.screen).toBe('chat');
    expect(warned.responses.at(-1)!.text).toMatch(/^No key pressed for a while: you will be logged out in 1 s\. Press any key to stay\.$/);
    alice.active();
    const kept = await waitFor(alice, (st) => st.idleLogoutAt === null, 'the warning gone');
    expect(kept.responses.at(-1)!.text).toBe('Still here: you stay logged in.');
    // Past the first deadline: still in, and warned again later (nobody pressed anything since).
    await waitFor(alice, (st) => (st.idleLogoutAt ?? null) !== null, 'the second warning', 5000);
    expect(alice.getState().screen).toBe('chat');
  });

  test('messages arriving and being read do not keep a session whose person is away', async () => {
    h = await startHarness({ idleTimeoutSeconds: 2 });
    const alice = await h.register('alice');
    const bob = await h.register('bob');
    await alice.open('bob');
    let sent = 0;
    const chatter = setInterval(() => void bob.submit(`ping ${++sent}`).catch(() => undefined), 300);
    try {
      const s = await waitFor(alice, (st) => st.screen === 'login', 'alice logged out though messages kept coming', 8000);
      expect(s.loginError).toMatch(/without a key pressed/);
      expect(sent).toBeGreaterThan(3);
    } finally {
      clearInterval(chatter);
    }
  });
});
