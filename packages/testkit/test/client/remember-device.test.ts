/**
 * "Remember this device": the session token kept on disk (0600 in a 0700 folder) per server and
 * user logs the next start in without the password, until the server lets it expire; an expired
 * or revoked token means the login screen with one sentence; /logout revokes it and removes the
 * file. Real server, real SQLite, real files.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, expect, test } from '@jest/globals';
import Database from 'better-sqlite3';
import type { ChatClient } from '@tui-chat/client';
import { rawLogin, startHarness, tempDir, waitFor, type Harness, type TestSocket } from '@tui-chat/testkit';

let h: Harness;
let dir: string;
const raw: TestSocket[] = [];
beforeEach(async () => {
  h = await startHarness();
  dir = tempDir('state');
  (await h.register('carol')).close();
});
afterEach(async () => {
  for (const s of raw.splice(0)) s.disconnect();
  await h.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const folder = () => path.join(dir, 'sessions', h.display.replace(/:/g, '_3a'));
const fileOf = (user: string) => path.join(folder(), `${user}.json`);
const mode = (p: string) => fs.statSync(p).mode & 0o777;
const keptToken = (user = 'carol'): string => (JSON.parse(fs.readFileSync(fileOf(user), 'utf8')) as { token: string }).token;
const tokenHash = (token: string) => crypto.createHash('sha256').update(token).digest('hex');

async function rememberCarol(): Promise<ChatClient> {
  const c = h.client({ stateDir: dir });
  expect(await c.login({ user: 'carol', password: 'secret-pw', remember: true })).toBe(true);
  return c;
}

test('a remembered login keeps only the token, 0600 in a 0700 folder; /quit keeps it working and the next start logs in with it', async () => {
  const first = await rememberCarol();
  const file = fileOf('carol');
  expect(mode(file)).toBe(0o600);
  expect(mode(folder())).toBe(0o700);
  expect(mode(path.dirname(folder()))).toBe(0o700);
  const kept = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;
  expect(Object.keys(kept).sort()).toEqual(['token', 'user']);
  expect(fs.readFileSync(file, 'utf8')).not.toContain('secret-pw');

  await first.submit('/quit');
  await waitFor(first, (s) => s.quitRequested === true, 'quit');

  const next = h.client({ stateDir: dir });
  expect(await next.resume()).toBe(true);
  expect(next.getState()).toMatchObject({ screen: 'chat', user: 'carol' });
  expect(h.handshakes.at(-1)).toEqual({ user: 'carol', with: 'token' });
  // The same session goes on: the file still holds the token, and /quit left it with the server.
  expect(keptToken()).toBe(kept.token);
});

/** Sets a session's times back in the server's own database file, as the server reads them. */
function age(token: string, column: 'last_used_at' | 'created_at', by: number): void {
  const db = new Database(h.dbFile);
  try {
    db.prepare(`UPDATE sessions SET ${column} = ${column} - ? WHERE token_hash = ?`).run(by, tokenHash(token));
  } finally {
    db.close();
  }
}

test.each([
  ['unused for longer than the idle expiry (30 minutes)', 'last_used_at', 2 * 3600_000],
  ['older than the token lifetime (30 days)', 'created_at', 31 * 24 * 3600_000],
] as const)('a token %s: the login screen says so in one sentence, and the file is gone', async (_what, column, by) => {
  const first = await rememberCarol();
  const token = keptToken();
  // The server's goodbye for that connection touches the session: the clock is set back after it.
  const left = new Promise((resolve) => [...h.server.io.of('/').sockets.values()].forEach((s) => s.once('disconnect', resolve)));
  first.close();
  await left;
  // That touch is queued on the database's writer thread: a write queued after it lands after it.
  await h.server.store.touchSessions(['none'], 0);
  age(token, column, by);
  const next = h.client({ stateDir: dir });
  expect(await next.resume()).toBe(false);
  expect(next.getState()).toMatchObject({
    screen: 'login',
    loginError: 'Your remembered session has ended; log in with your password.',
  });
  expect(fs.existsSync(fileOf('carol'))).toBe(false);
  // The password still works, and without remembering nothing is written.
  expect(await next.login({ user: 'carol', password: 'secret-pw' })).toBe(true);
  expect(fs.existsSync(fileOf('carol'))).toBe(false);
});

test('/logout revokes the token on the server and removes the file', async () => {
  const c = await rememberCarol();
  const token = keptToken();
  await c.submit('/logout');
  await waitFor(c, (s) => s.screen === 'login', 'the login screen');
  expect(fs.existsSync(fileOf('carol'))).toBe(false);
  const refused = await rawLogin(h.port, { user: 'carol', token }, raw).then(
    () => null,
    (err: { data?: { code: string } }) => err.data?.code,
  );
  expect(refused).toBe('session_expired');
  expect(await h.client({ stateDir: dir }).resume()).toBe(false);
});

test('several users on one server: resume takes the named one, or the last remembered; a damaged file is removed, not trusted', async () => {
  (await h.register('dave')).close();
  (await rememberCarol()).close();
  const d = h.client({ stateDir: dir });
  expect(await d.login({ user: 'dave', password: 'secret-pw', remember: true })).toBe(true);
  d.close();
  fs.utimesSync(fileOf('carol'), new Date(Date.now() - 60_000), new Date(Date.now() - 60_000));

  const last = h.client({ stateDir: dir });
  expect(await last.resume()).toBe(true);
  expect(last.getState().user).toBe('dave');
  last.close();
  const named = h.client({ stateDir: dir });
  expect(await named.resume('carol')).toBe(true);
  expect(named.getState().user).toBe('carol');
  named.close();

  fs.writeFileSync(fileOf('dave'), '{"user":"dave","token":"\\u001b[2J"}');
  const damaged = h.client({ stateDir: dir });
  expect(await damaged.resume('dave')).toBe(false);
  expect(damaged.getState().screen).toBe('login');
  expect(fs.existsSync(fileOf('dave'))).toBe(false);
});
