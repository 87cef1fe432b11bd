import { afterEach, describe, expect, test } from '@jest/globals';
import { DEFAULT_PASSWORD_COST, parseHash } from '../src/index.js';
import { cid, disconnected, next, rawRequest, request, startHarness, type Harness } from './helpers.js';

let h: Harness;
afterEach(async () => {
  await h?.close();
});

describe('registration and login', () => {
  test('register, then log in with the password; names are case-insensitive', async () => {
    h = await startHarness();
    const { session } = await h.register('Alice', 'pass-1234');
    expect(session.user).toBe('alice');
    expect(session.token.length).toBeGreaterThan(20);
    const again = await h.login('ALICE', 'pass-1234');
    expect(again.session.user).toBe('alice');
  });

  test('a name registered twice, a bad name and a short password are refused', async () => {
    h = await startHarness();
    await h.register('bob');
    expect(await h.refused({ user: 'bob', password: 'other-pw', register: true })).toMatchObject({ code: 'name_taken' });
    expect(await h.refused({ user: 'bad name!', password: 'secret-pw', register: true })).toMatchObject({ code: 'invalid_name' });
    expect(await h.refused({ user: 'x'.repeat(33), password: 'secret-pw', register: true })).toMatchObject({ code: 'invalid_name' });
    expect(await h.refused({ user: '..', password: 'secret-pw', register: true })).toMatchObject({ code: 'invalid_name' });
    expect(await h.refused({ user: 'carol', password: 'abc', register: true })).toMatchObject({ code: 'invalid_password' });
    expect(await h.refused({})).toMatchObject({ code: 'bad_request' });
    expect(await h.refused({ user: 42, password: [] })).toMatchObject({ code: 'bad_request' });
    const users = (await h.server.store.listUsers()).map((u) => u.name);
    expect(users).toEqual(['bob']);
  });

  test('registration closed: new accounts refused, existing ones still log in', async () => {
    h = await startHarness();
    await h.register('dave');
    await h.restart({ registration: 'closed' });
    const err = await h.refused({ user: 'eve', password: 'secret-pw', register: true });
    expect(err.code).toBe('registration_closed');
    expect(err.message).toMatch(/does not accept new accounts/);
    await expect(h.login('dave')).resolves.toBeTruthy();
  });

  test("passwords are stored as Argon2id PHC strings with the configured cost; the default is OWASP's m=19 MiB, t=2, p=1", async () => {
    h = await startHarness();
    await h.register('frank', 'hunter22');
    const record = await h.server.store.getUser('frank');
    expect(record?.passwordHash).not.toContain('hunter22');
    expect(record!.passwordHash).toMatch(/^\$argon2id\$v=19\$m=64,t=1,p=1\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$/);
    expect(parseHash(record!.passwordHash)).toEqual({ kind: 'argon2id', cost: { memoryKiB: 64, passes: 1, parallelism: 1 } });
    expect(DEFAULT_PASSWORD_COST).toEqual({ memoryKiB: 19456, passes: 2, parallelism: 1 });
  });

  test('the real default cost works end to end', async () => {
    h = await startHarness({ passwordCost: undefined });
    const real = await startHarness({ passwordCost: DEFAULT_PASSWORD_COST });
    try {
      await real.register('grace', 'pw-grace');
      const hash = (await real.server.store.getUser('grace'))!.passwordHash;
      expect(hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
      await expect(real.login('grace', 'pw-grace')).resolves.toBeTruthy();
      expect(await real.refused({ user: 'grace', password: 'pw-grac' })).toMatchObject({ code: 'bad_credentials' });
    } finally {
      await real.close();
    }
  });

  test('a prefix of the password does not log in (the old program checked by substring)', async () => {
    h = await startHarness();
    await h.register('heidi', 'longpassword');
    expect(await h.refused({ user: 'heidi', password: 'long' })).toMatchObject({ code: 'bad_credentials' });
    expect(await h.refused({ user: 'heidi', password: 'longpassword2' })).toMatchObject({ code: 'bad_credentials' });
  });
});

describe('lockout', () => {
  test('three wrong passwords lock the name from that address, with the seconds left; other names and addresses are free', async () => {
    h = await startHarness();
    await h.register('ivan', 'right-pw');
    await h.register('judy', 'right-pw');
    for (let i = 0; i < 2; i++) {
      expect(await h.refused({ user: 'ivan', password: 'wrong' })).toMatchObject({ code: 'bad_credentials' });
    }
    const third = await h.refused({ user: 'ivan', password: 'wrong' });
    expect(third.code).toBe('locked_out');
    expect(third.retryAfter).toBe(60);
    expect(third.message).toMatch(/60 s/);
    // Even the right password is refused while locked, and the answer says how long is left.
    const locked = await h.refused({ user: 'ivan', password: 'right-pw' });
    expect(locked.code).toBe('locked_out');
    expect(locked.retryAfter).toBeGreaterThan(0);
    expect(locked.retryAfter).toBeLessThanOrEqual(60);
    expect(locked.message).toMatch(/try again in \d+ s/);
    // Another name from the same address is unaffected.
    await expect(h.login('judy', 'right-pw')).resolves.toBeTruthy();
    // The same name from another loopback address is unaffected; from this one it stays locked.
    await expect(h.login('ivan', 'right-pw', {}, { localAddress: '127.0.0.2' })).resolves.toBeTruthy();
    expect((await h.refused({ user: 'ivan', password: 'right-pw' }, { localAddress: '127.0.0.1' })).code).toBe('locked_out');
  });

  test('the lock holds across connections and ends after the configured time', async () => {
    h = await startHarness({ lockoutAttempts: 2, lockoutSeconds: 1 });
    await h.register('kim', 'right-pw');
    await h.refused({ user: 'kim', password: 'bad' });
    expect((await h.refused({ user: 'kim', password: 'bad' })).code).toBe('locked_out');
    expect((await h.refused({ user: 'kim', password: 'right-pw' })).code).toBe('locked_out');
    await new Promise((r) => setTimeout(r, 1100)); // the lock is a real 1 s clock; this waits it out
    await expect(h.login('kim', 'right-pw')).resolves.toBeTruthy();
  });

  test('a successful login resets the count', async () => {
    h = await startHarness();
    await h.register('leo', 'right-pw');
    await h.refused({ user: 'leo', password: 'bad' });
    await h.refused({ user: 'leo', password: 'bad' });
    await h.login('leo', 'right-pw');
    await h.refused({ user: 'leo', password: 'bad' });
    expect((await h.refused({ user: 'leo', password: 'bad' })).code).toBe('bad_credentials');
  });
});

describe('sessions', () => {
  test('a session token reconnects without the password; after logout it no longer works', async () => {
    h = await startHarness();
    const { socket, session } = await h.register('mia');
    const viaToken = await h.login('mia', undefined, { password: undefined, token: session.token });
    expect(viaToken.session.user).toBe('mia');
    const gone = disconnected(socket);
    const reply = await request(socket, 'session:logout', {});
    expect(reply.ok).toBe(true);
    await gone;
    expect(await h.refused({ user: 'mia', token: session.token })).toMatchObject({ code: 'session_expired' });
    expect(await h.refused({ user: 'other', token: 'made-up' })).toMatchObject({ code: 'session_expired' });
  });

  test('a refused login never gets a session: no request is answered', async () => {
    h = await startHarness();
    await h.register('nina');
    const err = await h.refused({ user: 'nina', password: 'wrong' });
    expect(err.code).toBe('bad_credentials');
    const s = h.sockets[h.sockets.length - 1]!;
    expect(s.connected).toBe(false);
  });

  test('several sessions of one user are online at once and the user goes offline with the last', async () => {
    h = await startHarness();
    const watcher = await h.register('olga');
    const p1 = await h.register('pete');
    const p2 = await h.login('pete');
    const who = await request(watcher.socket, 'presence:whoelse', {});
    expect(who.ok && who.users).toEqual(['pete']);
    p1.socket.disconnect();
    const stillOnline = await request(watcher.socket, 'presence:whoelse', {});
    expect(stillOnline.ok && stillOnline.users).toEqual(['pete']);
    const offline = new Promise<void>((resolve) =>
      watcher.socket.on('presence:changes', (u) => u.changes.some((c) => c.user === 'pete' && !c.online) && resolve()),
    );
    p2.socket.disconnect();
    await offline;
    const none = await request(watcher.socket, 'presence:whoelse', {});
    expect(none.ok && none.users).toEqual([]);
  });

  test('idle timeout logs the session out with a notice and ends its token', async () => {
    h = await startHarness({ idleTimeoutSeconds: 0.4 });
    const { socket, session } = await h.register('quinn');
    const notice = await next(socket, 'notice');
    expect(notice.code).toBe('idle_timeout');
    expect(notice.message).toMatch(/without a key pressed/);
    await disconnected(socket);
    expect(await h.refused({ user: 'quinn', token: session.token })).toMatchObject({ code: 'session_expired' });
  });

  test("a person's activity (session:active) keeps an idle session alive", async () => {
    h = await startHarness({ idleTimeoutSeconds: 0.6 });
    const { socket } = await h.register('rita');
    let noticed = false;
    socket.on('notice', () => (noticed = true));
    for (let i = 0; i < 6; i++) {
      await new Promise((r) => setTimeout(r, 200)); // activity spread over 1.2 s, twice the timeout
      expect((await rawRequest(socket, 'session:active', {})) as { ok: boolean }).toMatchObject({ ok: true });
    }
    expect(noticed).toBe(false);
    expect(socket.connected).toBe(true);
    void cid;
  });

  test('what a client asks by itself (who is online, read marks) does not keep a session alive without a person', async () => {
    h = await startHarness({ idleTimeoutSeconds: 0.6 });
    const { socket } = await h.register('sam');
    const notice = next(socket, 'notice');
    const asking = setInterval(() => void rawRequest(socket, 'presence:whoelse', {}).catch(() => undefined), 100);
    try {
      expect((await notice).code).toBe('idle_timeout');
    } finally {
      clearInterval(asking);
    }
  });
});
