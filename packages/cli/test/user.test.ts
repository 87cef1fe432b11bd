/** `tui-chat user ...` against a database file, checked through a real server where it matters. */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, test } from '@jest/globals';
import Database from 'better-sqlite3';
import { childEnv, cleanup, expectOneLine, loginCode, run, serve, tempDir } from './helpers.js';

afterEach(cleanup);

const withPassword = (password: string, extra: Record<string, string | undefined> = {}) =>
  childEnv({ TUI_CHAT_PASSWORD: password, ...extra });

describe('tui-chat user add / remove / list', () => {
  test('add takes the password from TUI_CHAT_PASSWORD; that account logs in over socket.io', async () => {
    const db = path.join(tempDir(), 'chat.db');
    const add = await run(['user', 'add', 'Alice', '--db', db], withPassword('s3cret-pw'));
    expect(add).toEqual({ code: 0, stdout: 'added user alice\n', stderr: '' });
    const server = await serve(['--db', db, '--registration', 'closed']);
    expect(await loginCode(server.port, { user: 'alice', password: 's3cret-pw' })).toBe('accepted');
    expect(await loginCode(server.port, { user: 'alice', password: 'other-pw' })).toBe('bad_credentials');
  });

  test('add while a server runs on the same file (WAL): the server sees the new account', async () => {
    const db = path.join(tempDir(), 'chat.db');
    const server = await serve(['--db', db]);
    expect((await run(['user', 'add', 'erin', '--db', db], withPassword('erin-pw'))).code).toBe(0);
    expect(await loginCode(server.port, { user: 'erin', password: 'erin-pw' })).toBe('accepted');
  });

  test('add of an existing name: one line, exit code 1, the old password still works', async () => {
    const db = path.join(tempDir(), 'chat.db');
    expect((await run(['user', 'add', 'bob', '--db', db], withPassword('first-pw'))).code).toBe(0);
    const again = await run(['user', 'add', 'BOB', '--db', db], withPassword('second-pw'));
    expectOneLine(again, 1, /^tui-chat: the user bob already exists\.\n$/);
    const server = await serve(['--db', db]);
    expect(await loginCode(server.port, { user: 'bob', password: 'first-pw' })).toBe('accepted');
  });

  test('add refuses bad names, short passwords, and a missing password without a terminal (exit code 2)', async () => {
    const db = path.join(tempDir(), 'chat.db');
    expectOneLine(await run(['user', 'add', '../x', '--db', db], withPassword('secret-pw')), 2, /bad user name "\.\.\/x"/);
    expectOneLine(await run(['user', 'add', 'dan', '--db', db], withPassword('abc')), 2, /password refused: a password needs at least 4/);
    expectOneLine(await run(['user', 'add', 'dan', '--db', db]), 2, /no password: set TUI_CHAT_PASSWORD or run this in a terminal/);
    expectOneLine(
      await run(['user', 'add', '-', '--db', db], withPassword('secret-pw')),
      2,
      /^tui-chat: a user name starts with a letter or a digit\.\n$/,
    );
    expectOneLine(
      await run(['user', 'add', '404', '--db', db], withPassword('secret-pw')),
      2,
      /^tui-chat: a user name holds at least one letter\.\n$/,
    );
    expect((await run(['user', 'list', '--db', db])).stdout).toBe('no users\n');
  });

  test("add: a look-alike of an existing name is refused (exit 1); a reserved name is the admin's to give", async () => {
    const db = path.join(tempDir(), 'chat.db');
    expect((await run(['user', 'add', 'alice', '--db', db], withPassword('secret-pw'))).code).toBe(0);
    expectOneLine(
      await run(['user', 'add', 'a1ice', '--db', db], withPassword('secret-pw')),
      1,
      /^tui-chat: the name a1ice looks too much like alice, who is already here; choose another\.\n$/,
    );
    expect((await run(['user', 'add', 'admin', '--db', db], withPassword('secret-pw'))).code).toBe(0);
  });

  test('without TUI_CHAT_SCRYPT_N the hash uses the real cost, N=2^17', async () => {
    const db = path.join(tempDir(), 'chat.db');
    const add = await run(['user', 'add', 'frank', '--db', db], withPassword('frank-pw', { TUI_CHAT_SCRYPT_N: undefined }));
    expect(add.code).toBe(0);
    const sqlite = new Database(db, { readonly: true });
    try {
      const row = sqlite.prepare('SELECT password_hash FROM users WHERE name = ?').get('frank') as { password_hash: string };
      expect(row.password_hash).toMatch(/^scrypt\$131072\$8\$1\$/);
    } finally {
      sqlite.close();
    }
  });

  test('list shows name, created and last seen; --json gives the same as data', async () => {
    const db = path.join(tempDir(), 'chat.db');
    expect((await run(['user', 'list', '--db', db])).stdout).toBe('no users\n');
    expect(fs.existsSync(db)).toBe(false);
    for (const name of ['zoe', 'amy']) expect((await run(['user', 'add', name, '--db', db], withPassword('pw-1234'))).code).toBe(0);
    const list = await run(['user', 'list', '--db', db]);
    expect(list.code).toBe(0);
    const lines = list.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^NAME\s+CREATED\s+LAST SEEN$/);
    expect(lines.slice(1)).toEqual([
      expect.stringMatching(/^amy\s+\d{4}-\d\d-\d\d \d\d:\d\d\s+never$/),
      expect.stringMatching(/^zoe\s+\d{4}-\d\d-\d\d \d\d:\d\d\s+never$/),
    ]);
    const json = JSON.parse((await run(['user', 'list', '--json', '--db', db])).stdout) as { name: string; lastSeenAt: null }[];
    expect(json.map((u) => [u.name, u.lastSeenAt])).toEqual([
      ['amy', null],
      ['zoe', null],
    ]);
  });

  test('remove deletes the account (exit 0), a second remove says there is none (exit 1)', async () => {
    const db = path.join(tempDir(), 'chat.db');
    expect((await run(['user', 'add', 'gina', '--db', db], withPassword('gina-pw'))).code).toBe(0);
    expect(await run(['user', 'remove', 'gina', '--db', db])).toEqual({ code: 0, stdout: 'removed user gina\n', stderr: '' });
    expectOneLine(await run(['user', 'remove', 'gina', '--db', db]), 1, /there is no user gina in/);
    const server = await serve(['--db', db]);
    expect(await loginCode(server.port, { user: 'gina', password: 'gina-pw' })).toBe('bad_credentials');
  });
});

describe("tui-chat user with the server's config file", () => {
  test('--config (or TUI_CHAT_CONFIG) gives the db the server uses; --db and TUI_CHAT_DB still win', async () => {
    const dir = tempDir();
    const config = path.join(dir, 'tui-chat.toml');
    fs.writeFileSync(config, 'db = "data/chat.db"\nregistration = "closed"\n');
    expect(await run(['user', 'add', 'hana', '--config', config], withPassword('hana-pw'))).toEqual({
      code: 0,
      stdout: 'added user hana\n',
      stderr: '',
    });
    expect(fs.existsSync(path.join(dir, 'data', 'chat.db'))).toBe(true); // beside the file, wherever it is run from
    const server = await serve([], childEnv({ TUI_CHAT_CONFIG: config }));
    expect(await loginCode(server.port, { user: 'hana', password: 'hana-pw' })).toBe('accepted');
    const list = await run(['user', 'list'], childEnv({ TUI_CHAT_CONFIG: config }));
    expect(list.stdout).toMatch(/^hana\s/m);
    const other = path.join(dir, 'other.db');
    expect((await run(['user', 'list', '--config', config], childEnv({ TUI_CHAT_DB: other }))).stdout).not.toMatch(/hana/);
    fs.writeFileSync(config, 'db = 5\n');
    expectOneLine(await run(['user', 'list', '--config', config]), 2, /tui-chat\.toml line 1: db must be a string in quotes, not 5\./);
  });
});

describe('tui-chat user import', () => {
  test('imports good lines, reports bad ones by line number, skips existing names', async () => {
    const dir = tempDir();
    const db = path.join(dir, 'chat.db');
    expect((await run(['user', 'add', 'foobar', '--db', db], withPassword('already-here'))).code).toBe(0);
    const file = path.join(dir, 'user_pass.txt');
    fs.writeFileSync(
      file,
      [
        '# accounts of the old server', // 1
        'columbia 116bway', // 2
        '', // 3
        'nopass', // 4
        '../x secret', // 5
        'Wikipedia wikiwiki', // 6
        'columbia again-pw', // 7
        'foobar passpass', // 8
        '   # indented comment', // 9
        'seas summerisover', // 10
        'three words here', // 11
        'short abc', // 12
        'co1umbia lookalike', // 13
        'f0obar lookalike', // 14
        '... dots-only', // 15
      ].join('\r\n') + '\n',
    );
    const r = await run(['user', 'import', file, '--db', db]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('imported 3 users, skipped 9\n');
    expect(r.stderr.trimEnd().split('\n')).toEqual([
      'line 4: nopass has no password after the name',
      expect.stringMatching(/^line 5: bad user name "\.\.\/x": a user name may only hold/),
      'line 7: columbia already appears on line 2',
      'line 8: foobar already exists; left as it is',
      'line 11: expected "name password", found 3 words',
      expect.stringMatching(/^line 12: password of short refused: a password needs at least 4/),
      'line 13: the name co1umbia looks too much like columbia (line 2); choose another',
      'line 14: the name f0obar looks too much like foobar, who is already here; choose another',
      'line 15: a user name starts with a letter or a digit',
    ]);
    expect(r.stderr).not.toMatch(/116bway|passpass|wikiwiki/);

    const server = await serve(['--db', db]);
    const codes = await Promise.all([
      loginCode(server.port, { user: 'columbia', password: '116bway' }),
      loginCode(server.port, { user: 'wikipedia', password: 'wikiwiki' }),
      loginCode(server.port, { user: 'seas', password: 'summerisover' }),
      loginCode(server.port, { user: 'foobar', password: 'already-here' }),
    ]);
    expect(codes).toEqual(['accepted', 'accepted', 'accepted', 'accepted']);
  });

  test('a file it cannot read: one line, exit code 2, no database created', async () => {
    const dir = tempDir();
    const db = path.join(dir, 'chat.db');
    expectOneLine(
      await run(['user', 'import', path.join(dir, 'missing.txt'), '--db', db]),
      2,
      /cannot read .*missing\.txt: no such file\./,
    );
    expectOneLine(await run(['user', 'import', dir, '--db', db]), 2, /it is a folder, not a file/);
    expect(fs.existsSync(db)).toBe(false);
  });
});
