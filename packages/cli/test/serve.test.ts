/** `tui-chat serve` as a real child process, talked to with a real socket.io client. */
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { afterEach, describe, expect, test } from '@jest/globals';
import { childEnv, cleanup, expectOneLine, login, loginCode, nextNotice, run, serve, tempDir } from './helpers.js';

afterEach(cleanup);

describe('tui-chat serve', () => {
  test('listens on the real port, creates the database and answers a socket.io websocket handshake', async () => {
    const db = path.join(tempDir(), 'sub', 'chat.db');
    const server = await serve(['--db', db]);
    expect(server.port).toBeGreaterThan(0);
    expect(server.db).toBe(db);
    expect(server.stdout()).toMatch(/registration open\)\n$/);
    expect(fs.existsSync(db)).toBe(true);
    const { session } = await login(server.port, { user: 'Alice', password: 'secret-pw', register: true });
    expect(session.user).toBe('alice');
  });

  test("a new database is the owner's alone (folder 0700, file 0600); one others can read is reported at start", async () => {
    const folder = path.join(tempDir(), 'new');
    const db = path.join(folder, 'chat.db');
    const first = await serve(['--db', db]);
    expect((fs.statSync(folder).mode & 0o777).toString(8)).toBe('700');
    expect((fs.statSync(db).mode & 0o777).toString(8)).toBe('600');
    expect(first.stderr()).not.toContain('warning');
    first.child.kill('SIGTERM');
    await first.exited;
    fs.chmodSync(db, 0o644);
    const second = await serve(['--db', db]);
    expect(second.stderr()).toContain(
      `tui-chat: warning: the database file ${db} can be read by other users of this machine (mode 0644); chmod 600 it.\n`,
    );
  });

  test('SIGTERM stops it cleanly; the database keeps its users across a restart', async () => {
    const db = path.join(tempDir(), 'chat.db');
    const first = await serve(['--db', db]);
    const { socket } = await login(first.port, { user: 'bob', password: 'secret-pw', register: true });
    const notice = nextNotice(socket);
    first.child.kill('SIGTERM');
    expect((await notice).code).toBe('server_shutdown');
    expect(await first.exited).toEqual({ code: 0, signal: null });
    expect(first.stdout()).toMatch(/\ntui-chat server stopped\.\n$/);

    const second = await serve(['--db', db]);
    expect(await loginCode(second.port, { user: 'bob', password: 'secret-pw' })).toBe('accepted');
    second.child.kill('SIGINT');
    expect((await second.exited).code).toBe(0);
    const list = await run(['user', 'list', '--db', db]);
    expect(list.stdout).toMatch(/^bob\s/m);
  });

  test('--registration closed refuses new accounts; lockout flags are applied', async () => {
    const db = path.join(tempDir(), 'chat.db');
    const add = await run(['user', 'add', 'carol', '--db', db], childEnv({ TUI_CHAT_PASSWORD: 'right-pw' }));
    expect(add.code).toBe(0);
    const server = await serve(['--db', db, '--registration', 'closed', '--lockout-attempts', '1', '--lockout-seconds', '120']);
    expect(server.stdout()).toMatch(/registration closed\)/);
    expect(await loginCode(server.port, { user: 'dave', password: 'secret-pw', register: true })).toBe('registration_closed');
    expect(await loginCode(server.port, { user: 'carol', password: 'wrong-pw' })).toBe('locked_out');
    expect(await loginCode(server.port, { user: 'carol', password: 'right-pw' })).toBe('locked_out');
  });

  test('takes host, port and database from TUI_CHAT_HOST, TUI_CHAT_PORT and TUI_CHAT_DB', async () => {
    const db = path.join(tempDir(), 'env.db');
    const r = await run(['serve'], childEnv({ TUI_CHAT_PORT: '70000', TUI_CHAT_DB: db }));
    expectOneLine(r, 2, /TUI_CHAT_PORT must be a whole number from 0 to 65535, got "70000"/);
    const server = await serve([], childEnv({ TUI_CHAT_DB: db, TUI_CHAT_HOST: '127.0.0.1' }));
    expect(server.db).toBe(db);
  });

  test('--proxy-protocol: a listed balancer names the client in a PROXY header; TUI_CHAT_PROXY_PROTOCOL too', async () => {
    const bad = await run(['serve', '--db', path.join(tempDir(), 'x.db')], childEnv({ TUI_CHAT_PROXY_PROTOCOL: '10.0.0.1,' }));
    expectOneLine(bad, 2, /^tui-chat: TUI_CHAT_PROXY_PROTOCOL: "" is not an IP address or network/);
    const server = await serve(['--db', path.join(tempDir(), 'p.db')], childEnv({ TUI_CHAT_PROXY_PROTOCOL: '127.0.0.2, 10.0.0.0/8' }));
    expect(server.stdout()).toMatch(/registration open, PROXY protocol from 127\.0\.0\.2,10\.0\.0\.0\/8\)\n$/);
    const ask = (localAddress: string, data: string) =>
      new Promise<string>((resolve, reject) => {
        const s = net.connect({ port: server.port, host: '127.0.0.1', localAddress }, () => s.write(data));
        let got = '';
        s.on('data', (d) => (got += d.toString()));
        s.on('error', reject);
        s.on('close', () => resolve(got));
      });
    const info = 'GET /tui-chat/info HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n';
    expect(await ask('127.0.0.2', `PROXY TCP4 203.0.113.7 127.0.0.1 5000 4000\r\n${info}`)).toMatch(/^HTTP\/1\.1 200/);
    expect(await ask('127.0.0.2', info)).toBe(''); // a listed balancer without a header is cut off
    expect(await ask('127.0.0.1', info)).toMatch(/^HTTP\/1\.1 200/); // anyone else connects as usual
  });

  test('--config FILE (or TUI_CHAT_CONFIG) sets what flags do; a variable wins over it, a flag over both', async () => {
    const dir = tempDir();
    const config = path.join(dir, 'tui-chat.toml');
    fs.writeFileSync(config, 'db = "from-file.db"   # beside the file\nregistration = "closed"\nlockout-attempts = 1\n');
    const fromFile = await serve(['--config', config]);
    expect(fromFile.db).toBe(path.join(dir, 'from-file.db'));
    expect(fromFile.stdout()).toMatch(/registration closed\)/);
    expect(await loginCode(fromFile.port, { user: 'dave', password: 'secret-pw', register: true })).toBe('registration_closed');
    fromFile.child.kill('SIGTERM');
    await fromFile.exited;

    const env = childEnv({ TUI_CHAT_CONFIG: config, TUI_CHAT_REGISTRATION: 'open' });
    const byEnv = await serve([], env);
    expect(byEnv.stdout()).toMatch(/registration open\)/);
    const byFlag = await serve(['--registration', 'closed', '--db', path.join(dir, 'other.db')], env);
    expect(byFlag.stdout()).toMatch(/registration closed\)/);
  });

  test('a bad config file: one line naming the file and the line, exit 2, nothing started', async () => {
    const dir = tempDir();
    const config = path.join(dir, 'tui-chat.toml');
    fs.writeFileSync(config, 'port = 4000\n\n\nidle-timeout = "soon"\n');
    const r = await run(['serve', '--config', config]);
    expectOneLine(r, 2, /^tui-chat: .*tui-chat\.toml line 4: idle-timeout must be a whole number of at least 1, got "soon"\.\n$/);
    fs.writeFileSync(config, 'port = 4000\nregistraton = "closed"\n');
    const unknown = await run(['serve'], childEnv({ TUI_CHAT_CONFIG: config }));
    expectOneLine(
      unknown,
      2,
      /tui-chat\.toml line 2: there is no setting "registraton" \(the settings are host, port, db, .*, log-level\)\.\n$/,
    );
    expect(unknown.stdout).toBe('');
    expectOneLine(
      await run(['serve', '--config', path.join(dir, 'none.toml')]),
      2,
      /cannot read the config file .*none\.toml \(from --config\): ENOENT\./,
    );
  });

  test('without --db uses $XDG_DATA_HOME/tui-chat/tui-chat.db', async () => {
    const env = childEnv();
    const server = await serve([], env);
    expect(server.db).toBe(path.join(env.XDG_DATA_HOME!, 'tui-chat', 'tui-chat.db'));
  });
});

describe('tui-chat serve refuses bad settings with one line and exit code 2', () => {
  test.each([
    [['--port', '99999'], /^tui-chat: --port must be a whole number from 0 to 65535, got "99999"\.\n$/],
    [['--port', 'abc'], /--port must be a whole number from 0 to 65535, got "abc"/],
    [['--port', '-1'], /--port must be a whole number/],
    [['--registration', 'maybe'], /--registration must be one of open, closed, got "maybe"/],
    [['--idle-timeout', '0'], /--idle-timeout must be a whole number of at least 1, got "0"/],
    [['--lockout-attempts', '2.5'], /--lockout-attempts must be a whole number/],
    [['--lockout-seconds', 'soon'], /--lockout-seconds must be a whole number/],
    [['--log-level', 'loud'], /--log-level must be one of/],
    [['--ipv6-prefix', '200'], /^tui-chat: --ipv6-prefix takes 1 to 128 bits, not "200"\.\n$/],
    [['--ipv6-prefix', 'x'], /--ipv6-prefix must be a whole number/],
    [['--login-deadline', '0'], /--login-deadline must be a whole number of at least 1, got "0"/],
    [['--bogus'], /unknown option '--bogus' \(see "tui-chat serve --help"\)/],
    [['--port'], /option '--port <number>' argument missing/],
    [
      ['--proxy-protocol', '10.0.0.300'],
      /^tui-chat: --proxy-protocol: "10\.0\.0\.300" is not an IP address or network \(like 10\.0\.0\.5, 10\.0\.0\.0\/24 or fd00::\/8\)\.\n$/,
    ],
    [['--proxy-protocol', '10.0.0.1,lb.example.com'], /--proxy-protocol: "lb\.example\.com" is not an IP address or network/],
    [['--proxy-protocol', '10.0.0.0/40'], /--proxy-protocol: "10\.0\.0\.0\/40" is not an IP address or network/],
  ])('%j', async (args, pattern) => {
    const r = await run(['serve', '--db', path.join(tempDir(), 'x.db'), ...args]);
    expectOneLine(r, 2, pattern);
    expect(r.stdout).toBe('');
  });

  test('a TUI_CHAT_SCRYPT_N that is not a power of two >= 1024', async () => {
    const r = await run(['serve', '--port', '0', '--db', path.join(tempDir(), 'x.db')], childEnv({ TUI_CHAT_SCRYPT_N: '1000' }));
    expectOneLine(r, 2, /TUI_CHAT_SCRYPT_N must be a power of two/);
  });

  test('unusable database paths', async () => {
    const dir = tempDir();
    const notSqlite = path.join(dir, 'notes.txt');
    fs.writeFileSync(notSqlite, 'this is not a database, just some words that fill the header\n'.repeat(20));
    const blocker = path.join(dir, 'file');
    fs.writeFileSync(blocker, '');
    const cases: [string, RegExp][] = [
      ['/proc/nope/x.db', /cannot create the folder \/proc\/nope/],
      [dir, /it is a folder, not a file/],
      [notSqlite, /cannot open the database .*notes\.txt: file is not a database/],
      [path.join(blocker, 'x.db'), /is a file, not a folder|cannot create the folder/],
    ];
    for (const [db, pattern] of cases) expectOneLine(await run(['serve', '--port', '0', '--db', db]), 2, pattern);
  });

  test('a port already in use', async () => {
    const blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    try {
      const port = (blocker.address() as net.AddressInfo).port;
      const file = path.join(tempDir(), 'x.db');
      const r = await run(['serve', '--port', String(port), '--db', file]);
      expectOneLine(r, 2, new RegExp(`cannot listen on 127\\.0\\.0\\.1:${port}: the port is already in use`));
      // The file this run created is gone again; one that was there before stays.
      expect(fs.readdirSync(path.dirname(file))).toEqual([]);
      const kept = path.join(tempDir(), 'kept.db');
      fs.writeFileSync(kept, '', { mode: 0o600 });
      expectOneLine(await run(['serve', '--port', String(port), '--db', kept]), 2, /the port is already in use/);
      expect(fs.existsSync(kept)).toBe(true);
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
    }
  });

  test('a host that is not an address of this machine', async () => {
    const r = await run(['serve', '--port', '0', '--host', '192.0.2.1', '--db', path.join(tempDir(), 'x.db')]);
    expectOneLine(r, 2, /cannot listen on 192\.0\.2\.1:0: 192\.0\.2\.1 is not an address of this machine/);
  });
});
