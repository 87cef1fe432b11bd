/** The command line itself: help, version, usage errors and `connect` outside a terminal. */
import fs from 'node:fs';
import { afterEach, describe, expect, test } from '@jest/globals';
import { spawn } from 'node:child_process';
import { BIN, childEnv, cleanup, expectOneLine, run, tempDir } from './helpers.js';

afterEach(cleanup);

const pkg = JSON.parse(fs.readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };

describe('help and version', () => {
  test.each([
    [[]],
    [['serve']],
    [['connect']],
    [['user']],
    [['user', 'add']],
    [['user', 'remove']],
    [['user', 'list']],
    [['user', 'import']],
  ])('tui-chat %j --help exits 0 with usage and examples', async (words) => {
    const r = await run([...words, '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`^Usage: tui-chat${words.map((w) => ` ${w}`).join('')}`));
    expect(r.stdout).toMatch(/Examples?:\n {2}tui-chat /);
    expect(r.stderr).toBe('');
  });

  test('help mentions the scrypt knob as a test/benchmark setting only', async () => {
    for (const words of [['serve'], ['user']]) {
      expect((await run([...words, '--help'])).stdout).toMatch(/TUI_CHAT_SCRYPT_N .*tests and benchmarks only/);
    }
  });

  test('help read by something that stops early (| head) ends quietly, exit 0', async () => {
    // A pipe whose reader has gone before the help is written: as `tui-chat serve --help | true`.
    const r = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
      const child = spawn(process.execPath, [BIN, 'serve', '--help'], { stdio: ['ignore', 'pipe', 'pipe'], env: childEnv() });
      child.stdout.destroy();
      let stderr = '';
      child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
      child.on('close', (code) => resolve({ code, stderr }));
    });
    expect(r).toEqual({ code: 0, stderr: '' });
  });

  test('--version prints the package version', async () => {
    expect(await run(['--version'])).toEqual({ code: 0, stdout: `${pkg.version}\n`, stderr: '' });
  });
});

describe('bad usage: one line on stderr, exit code 2', () => {
  test.each([
    [['frob'], /unknown command 'frob' \(see "tui-chat --help"\)/],
    [['--frob'], /unknown option '--frob'/],
    [['serve', 'extra'], /too many arguments for 'serve'/],
    [['user', 'add'], /missing required argument 'name' \(see "tui-chat user add --help"\)/],
    [['user', 'frob'], /unknown command 'frob'/],
    [['connect'], /missing required argument 'address'/],
  ])('%j', async (args, pattern) => {
    expectOneLine(await run(args), 2, pattern);
  });

  test('no command at all shows the help on stderr with exit code 2', async () => {
    const r = await run([]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^Usage: tui-chat/);
  });
});

describe('tui-chat connect', () => {
  test.each([
    ['host:', /no port after the colon/],
    ['host:99999', /port "99999"/],
    ['ftp://x', /ws:\/\/, wss:\/\/, http:\/\/ or https:\/\//],
    ['::1', /brackets/],
  ])('a bad address %j', async (address, pattern) => {
    expectOneLine(await run(['connect', address]), 2, pattern);
  });

  test('a bad --user name', async () => {
    expectOneLine(await run(['connect', 'localhost:4000', '--user', '../x']), 2, /bad user name "\.\.\/x"/);
  });

  test.each([
    [['--bell', 'maybe'], /^tui-chat: --bell: bell takes on or off, not "maybe"\.\n$/],
    [['--title', ''], /^tui-chat: --title: title takes on or off, not ""\.\n$/],
    [['--notify', 'osc10'], /^tui-chat: --notify: notify takes off, osc9 or osc777, not "osc10"\.\n$/],
  ])('a bad setting flag %j', async (flag, pattern) => {
    expectOneLine(await run(['connect', 'localhost:4000', ...flag]), 2, pattern);
  });

  test.each([
    ['bell = "loud"\n', /config\.toml line 1: bell must be true or false, not "loud"; fix or remove the file\.\n$/],
    ['bell = true\nbell = false\n', /config\.toml line 2 is not valid TOML \(.+\); fix or remove the file\.\n$/],
    [
      'bel = true\n',
      /config\.toml line 1: there is no setting "bel" \(the settings are bell, title, notify, typing\); fix or remove the file\.\n$/,
    ],
    ['notify = "loud"\n', /config\.toml line 1: notify must be "off", "osc9", "osc777", not "loud"; fix or remove the file\.\n$/],
  ])('a bad settings file %j', async (text, pattern) => {
    const config = tempDir();
    fs.mkdirSync(`${config}/tui-chat`);
    fs.writeFileSync(`${config}/tui-chat/config.toml`, text);
    expectOneLine(await run(['connect', 'localhost:4000'], childEnv({ XDG_CONFIG_HOME: config })), 2, pattern);
  });

  test('a good settings file and good flags pass, up to the terminal check', async () => {
    const config = tempDir();
    fs.mkdirSync(`${config}/tui-chat`);
    fs.writeFileSync(`${config}/tui-chat/config.toml`, '# mine\nbell = false\nnotify = "osc777"\n');
    const r = await run(['connect', 'localhost:4000', '--title', 'off', '--notify', 'osc9'], childEnv({ XDG_CONFIG_HOME: config }));
    expectOneLine(r, 2, /^tui-chat connect needs a terminal \(a TTY\)/);
  });

  test('without a terminal it says it needs one', async () => {
    const r = await run(['connect', 'localhost:4000', '--user', 'alice']);
    expectOneLine(r, 2, /^tui-chat connect needs a terminal \(a TTY\)/);
    expect(r.stdout).toBe('');
  });
});
