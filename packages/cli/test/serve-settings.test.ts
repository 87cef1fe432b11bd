/** The serve settings table and their resolution: flag > environment > config file > default. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, test } from '@jest/globals';
import { buildProgram } from '../src/main.js';
import { resolveServeSettings } from '../src/serve-settings/resolve.js';
import { envOf, keyOf, SERVE_SETTINGS, SETTING_NAMES, type SettingName } from '../src/serve-settings/table.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tui-chat-settings-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

let files = 0;
function configFile(text: string, name = `c${++files}.toml`): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, text);
  return file;
}

/** A TOML line giving `name` its example value. */
function tomlLine(name: SettingName): string {
  const row = SERVE_SETTINGS[name];
  const value =
    row.toml === 'integer' ? row.example : row.toml === 'list' ? JSON.stringify(row.example.split(',')) : JSON.stringify(row.example);
  return `${keyOf(name)} = ${value}`;
}

const env = { XDG_DATA_HOME: '/data' };
/** Settings some others need beside them. */
const companions = (name: SettingName): Partial<Record<SettingName, string>> =>
  ({
    redisPrefix: { redis: 'redis://127.0.0.1:6379' },
    presenceTtl: { redis: 'redis://127.0.0.1:6379' },
    dbPool: { db: 'postgres://u@h/d' },
    tlsCert: { tlsKey: '/k.pem' },
    tlsKey: { tlsCert: '/c.pem' },
  })[name as string] ?? {};

describe('every serve flag has an environment variable and a config-file key', () => {
  test('the command has exactly the table’s options, plus --config', () => {
    const serve = buildProgram(async () => undefined).commands.find((c) => c.name() === 'serve')!;
    const flags = serve.options.map((o) => o.long).filter((f) => f !== '--config' && f !== '--help');
    expect(flags).toEqual(SETTING_NAMES.map((n) => `--${keyOf(n)}`));
    const help = serve.helpInformation();
    for (const name of SETTING_NAMES) expect(help).toContain(envOf(name));
  });

  test.each(SETTING_NAMES)('%s: the flag, its variable and its key each give the same value', (name) => {
    const example = SERVE_SETTINGS[name].example;
    const others = companions(name);
    const byFlag = resolveServeSettings({ ...others, [name]: example }, undefined, env).values[name];
    const byEnv = resolveServeSettings(others, undefined, { ...env, [envOf(name)]: example }).values[name];
    const file = configFile(`${tomlLine(name)}\n`);
    const byFile = resolveServeSettings(others, file, env).values[name];
    expect(byFlag).not.toBeUndefined();
    expect(byFlag).not.toEqual(SERVE_SETTINGS[name].fallback(env)); // the example is not the default
    expect(byEnv).toEqual(byFlag);
    expect(byFile).toEqual(byFlag);
  });
});

test("the README's table of settings has every key with its variable", () => {
  const readme = fs.readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');
  const missing = SETTING_NAMES.filter((n) => !readme.includes(`| \`${keyOf(n)}\` | \`${envOf(n)}\` |`));
  expect(missing).toEqual([]);
});

describe('precedence', () => {
  test('flag over environment over file over default', () => {
    const file = configFile('port = 4101\nidle-timeout = 600\nregistration = "closed"\nlog-level = "warn"\n');
    const r = resolveServeSettings({ port: '4103' }, file, { ...env, TUI_CHAT_PORT: '4102', TUI_CHAT_IDLE_TIMEOUT: '700' });
    expect(r.values.port).toBe(4103);
    expect(r.values.idleTimeout).toBe(700);
    expect(r.values.registration).toBe('closed');
    expect(r.values.logLevel).toBe('warn');
    expect(r.values.host).toBe('127.0.0.1'); // the default
    expect(r.values.lockoutAttempts).toBeUndefined(); // the server's own default
    expect(r.values.db).toEqual({ kind: 'sqlite', path: '/data/tui-chat/tui-chat.db' });
    expect([r.label('port'), r.label('idleTimeout'), r.label('registration')]).toEqual([
      '--port',
      'TUI_CHAT_IDLE_TIMEOUT',
      `${file} line 3: registration`,
    ]);
  });

  test('an empty variable counts as unset; TUI_CHAT_CONFIG names the file when --config does not', () => {
    const file = configFile('port = 4101\n');
    expect(resolveServeSettings({}, undefined, { ...env, TUI_CHAT_PORT: '', TUI_CHAT_CONFIG: file }).values.port).toBe(4101);
    const other = configFile('port = 4102\n');
    expect(resolveServeSettings({}, other, { ...env, TUI_CHAT_CONFIG: file }).values.port).toBe(4102);
  });

  test('relative paths in the file are relative to its folder; URLs stay as they are', () => {
    fs.mkdirSync(path.join(dir, 'etc'), { recursive: true });
    const file = configFile('db = "data/chat.db"\ntls-cert = "cert.pem"\ntls-key = "/abs/key.pem"\n', 'etc/rel.toml');
    const r = resolveServeSettings({}, file, env).values;
    expect(r.db).toEqual({ kind: 'sqlite', path: path.join(dir, 'etc', 'data', 'chat.db') });
    expect([r.tlsCert, r.tlsKey]).toEqual([path.join(dir, 'etc', 'cert.pem'), '/abs/key.pem']);
    const pg = configFile('db = "postgres://u@h:5432/chat"\ndb-pool = 4\n');
    expect(resolveServeSettings({}, pg, env).values.db).toEqual({ kind: 'postgres', url: 'postgres://u@h:5432/chat' });
  });

  test('proxy-protocol is a list in the file, or a comma-separated string', () => {
    const list = configFile('proxy-protocol = ["10.0.0.1", "10.1.0.0/16"]\n');
    const text = configFile('proxy-protocol = "10.0.0.1, 10.1.0.0/16"\n');
    for (const file of [list, text]) expect(resolveServeSettings({}, file, env).values.proxyProtocol).toEqual(['10.0.0.1', '10.1.0.0/16']);
  });
});

describe('a bad config file is one sentence naming the file and the line', () => {
  const known = SETTING_NAMES.map(keyOf).join(', ');
  test.each([
    ['port = 4000\n\n# seconds\nidle-timeout = 0\n', /^F line 4: idle-timeout must be a whole number of at least 1, got "0"\.$/],
    ['idle-timeout = 1.5\n', /^F line 1: idle-timeout must be a whole number of at least 1, got "1\.5"\.$/],
    ['idle_timeout = 60\n', new RegExp(`^F line 1: there is no setting "idle_timeout" \\(the settings are ${known}\\)\\.$`)],
    ['port = 4000\n[server]\nport = 4001\n', /^F line 2: there is no setting "server"/],
    ['host = 0.0.0.0\n', /^F line 1 is not valid TOML \(.+\)\.$/],
    ['port = 4000\nport = 4001\n', /^F line 2 is not valid TOML/],
    ['host = 42\n', /^F line 1: host must be a string in quotes, not 42\.$/],
    ['port = "http"\n', /^F line 1: port must be a whole number from 0 to 65535, got "http"\.$/],
    ['port = true\n', /^F line 1: port must be a whole number, not true\.$/],
    ['registration = "maybe"\n', /^F line 1: registration must be one of open, closed, got "maybe"\.$/],
    ['proxy-protocol = [1, 2]\n', /^F line 1: proxy-protocol must be a list of strings, like/],
    ['ipv6-prefix = 129\n', /^F line 1: ipv6-prefix takes 1 to 128 bits, not "129"\.$/],
    ['db = "mysql://h/d"\n', /^F line 1: db mysql:\/\/h\/d is neither a file path nor a postgres:\/\/ URL\.$/],
    ['redis = "redis://:hidden-pw@h"\n\nredis-prefix = ""\n', /^F line 3: redis-prefix needs a value, got an empty string\.$/],
    ['\npresence-ttl = 1000\n', /^F line 2: presence-ttl only applies with --redis \(or TUI_CHAT_REDIS, or redis in the config file\)\.$/],
    ['db-pool = 4\n', /^F line 1: db-pool only applies to a postgres:\/\/ database\.$/],
    [
      'tls-cert = "c.pem"\n',
      /^--tls-cert and --tls-key go together \(tls-cert and tls-key in a config file\); F line 1: tls-cert was given alone\.$/,
    ],
  ])('%j', (text, message) => {
    const file = configFile(text, 'F');
    const cwd = process.cwd();
    process.chdir(dir); // so the message names the file as given: "F"
    try {
      expect(() => resolveServeSettings({}, 'F', env)).toThrow(message);
    } finally {
      process.chdir(cwd);
      fs.rmSync(file);
    }
  });

  test('a file that cannot be read', () => {
    expect(() => resolveServeSettings({}, path.join(dir, 'none.toml'), env)).toThrow(
      `cannot read the config file ${path.join(dir, 'none.toml')} (from --config): ENOENT.`,
    );
    expect(() => resolveServeSettings({}, undefined, { TUI_CHAT_CONFIG: dir })).toThrow(
      `cannot read the config file ${dir} (from TUI_CHAT_CONFIG): EISDIR.`,
    );
  });

  test('a bad variable is named, not the file or the flag', () => {
    expect(() => resolveServeSettings({}, undefined, { TUI_CHAT_IDLE_TIMEOUT: 'soon' })).toThrow(
      'TUI_CHAT_IDLE_TIMEOUT must be a whole number of at least 1, got "soon".',
    );
  });
});
