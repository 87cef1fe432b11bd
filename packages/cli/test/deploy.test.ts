/**
 * deploy/: the example config, the Dockerfile, the systemd unit and the health check, checked
 * with the real loader, the real server and systemd's own tools where they exist here. No Docker
 * engine runs on these machines, so the Dockerfile is checked against the repository and the
 * settings table rather than built.
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, test } from '@jest/globals';
import { SERVER_NODE_FLAGS } from '@tui-chat/protocol/server-config';
import { resolveServeSettings } from '../src/serve-settings/resolve.js';
import { CONFIG_ENV, envOf, keyOf, SETTING_NAMES } from '../src/serve-settings/table.js';
import { BIN, childEnv, cleanup, login, serve, tempDir } from './helpers.js';

afterEach(cleanup);

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const DEPLOY = path.join(ROOT, 'deploy');
const read = (file: string) => fs.readFileSync(path.join(DEPLOY, file), 'utf8');
const EXAMPLE = path.join(DEPLOY, 'tui-chat.toml');
const KNOWN_ENV = new Set([...SETTING_NAMES.map(envOf), CONFIG_ENV]);
const KNOWN_FLAGS = new Set([...SETTING_NAMES.map((n) => `--${keyOf(n)}`), '--config']);

/** `KEY=value` pairs of Docker's ENV instructions (one or several per instruction, continued with \). */
function dockerEnv(dockerfile: string): Map<string, string> {
  const env = new Map<string, string>();
  const joined = dockerfile.replace(/\\\n/g, ' ');
  for (const m of joined.matchAll(/^ENV\s+(.+)$/gm)) for (const pair of m[1]!.matchAll(/(\w+)=(\S+)/g)) env.set(pair[1]!, pair[2]!);
  return env;
}

/** The values of one directive of a systemd unit, every time it appears. */
const directive = (unit: string, name: string): string[] => [...unit.matchAll(new RegExp(`^${name}=(.*)$`, 'gm'))].map((m) => m[1]!);

function healthcheck(env: NodeJS.ProcessEnv): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [path.join(DEPLOY, 'healthcheck.mjs')], { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('close', (code) => resolve({ code, stderr }));
  });
}

describe('the example config', () => {
  test('parses with the real loader and names every setting (set or in a comment)', () => {
    const r = resolveServeSettings({}, EXAMPLE, {});
    expect(r.values).toMatchObject({
      host: '0.0.0.0',
      port: 4000,
      db: { kind: 'sqlite', path: '/var/lib/tui-chat/tui-chat.db' },
      registration: 'open',
      logLevel: 'info',
    });
    const text = fs.readFileSync(EXAMPLE, 'utf8');
    const missing = SETTING_NAMES.map(keyOf).filter((key) => !new RegExp(`^(# )?${key} = `, 'm').test(text));
    expect(missing).toEqual([]);
  });

  test('each commented setting, uncommented, is valid too', () => {
    const text = fs.readFileSync(EXAMPLE, 'utf8');
    const commented = [...text.matchAll(/^# ([a-z0-9-]+ = .*)$/gm)].map((m) => m[1]!);
    expect(commented.length).toBeGreaterThan(10);
    const needs: Record<string, string> = {
      'redis-prefix': 'redis = "redis://127.0.0.1:6379"',
      'presence-ttl': 'redis = "redis://127.0.0.1:6379"',
      'db-pool': 'db = "postgres://u@h/d"',
      'tls-cert': 'tls-key = "/k.pem"',
      'tls-key': 'tls-cert = "/c.pem"',
    };
    const dir = tempDir();
    for (const line of commented) {
      const key = line.split(' ')[0]!;
      const file = path.join(dir, `${key}.toml`);
      fs.writeFileSync(file, `${needs[key] ?? ''}\n${line}\n`);
      expect(() => resolveServeSettings({}, file, {})).not.toThrow();
    }
  });
});

describe('the Dockerfile', () => {
  const dockerfile = read('Dockerfile');

  test('installs every workspace package manifest the root names, and copies files that exist', () => {
    const workspaces = (JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { workspaces: string[] }).workspaces;
    const copied = [...dockerfile.matchAll(/^COPY (packages\/[\w-]+)\/package\.json /gm)].map((m) => m[1]);
    expect(copied.sort()).toEqual([...workspaces].sort());
    for (const m of dockerfile.matchAll(/^COPY (?!--from)(\S+(?: \S+)*) \S+$/gm)) {
      for (const source of m[1]!.split(' ')) expect(fs.existsSync(path.join(ROOT, source))).toBe(true);
    }
  });

  test('runs as a non-root user, data in a volume, settings from the example config, a health check', () => {
    const users = directiveLines(dockerfile, 'USER');
    expect(users.at(-1)).toBe('node');
    const env = dockerEnv(dockerfile);
    for (const name of env.keys()) if (name.startsWith('TUI_CHAT_')) expect(KNOWN_ENV).toContain(name);
    const configInImage = env.get(CONFIG_ENV)!;
    expect(dockerfile).toContain(`COPY deploy/tui-chat.toml ${configInImage}`);
    const db = resolveServeSettings({}, EXAMPLE, {}).values.db;
    expect(directiveLines(dockerfile, 'VOLUME')).toEqual([path.dirname(db.kind === 'sqlite' ? db.path : '')]);
    expect(directiveLines(dockerfile, 'EXPOSE')).toEqual([String(resolveServeSettings({}, EXAMPLE, {}).values.port)]);
    expect(dockerfile).toMatch(/^HEALTHCHECK .*CMD \["node", "\/app\/healthcheck\.mjs"\]$/m);
    expect(dockerfile).toContain('COPY deploy/healthcheck.mjs /app/healthcheck.mjs');
    expect(directiveLines(dockerfile, 'FROM').length).toBeGreaterThanOrEqual(2); // the compilers stay in the build stage
  });
});

function directiveLines(dockerfile: string, name: string): string[] {
  return [...dockerfile.matchAll(new RegExp(`^${name}\\s+(.+)$`, 'gm'))].map((m) => m[1]!.trim());
}

describe('the systemd unit', () => {
  const unit = read('tui-chat.service');

  test('starts serve with the example config where ConfigurationDirectory puts it, data in StateDirectory', () => {
    const [exec] = directive(unit, 'ExecStart');
    const args = exec!.split(/\s+/).slice(1);
    expect(args.slice(0, 1)).toEqual(['serve']);
    for (const arg of args.filter((a) => a.startsWith('--'))) expect(KNOWN_FLAGS).toContain(arg);
    expect(args[args.indexOf('--config') + 1]).toBe(`/etc/${directive(unit, 'ConfigurationDirectory')[0]}/tui-chat.toml`);
    const db = resolveServeSettings({}, EXAMPLE, {}).values.db;
    expect(db.kind === 'sqlite' && path.dirname(db.path)).toBe(`/var/lib/${directive(unit, 'StateDirectory')[0]}`);
    for (const value of directive(unit, 'Environment')) {
      const name = value.split('=')[0]!;
      if (name.startsWith('TUI_CHAT_')) expect(KNOWN_ENV).toContain(name);
    }
  });

  test("runs Node with the server's flags (the young generation the bench measured)", () => {
    const options = directive(unit, 'Environment')
      .filter((value) => value.startsWith('NODE_OPTIONS='))
      .flatMap((value) => value.slice('NODE_OPTIONS='.length).split(/\s+/));
    for (const flag of SERVER_NODE_FLAGS) expect(options).toContain(flag);
  });

  test('has the hardening options', () => {
    for (const [name, value] of [
      ['NoNewPrivileges', 'yes'],
      ['ProtectSystem', 'strict'],
      ['ProtectHome', 'yes'],
      ['PrivateTmp', 'yes'],
      ['PrivateDevices', 'yes'],
      ['RestrictAddressFamilies', 'AF_INET AF_INET6 AF_UNIX'],
      ['SystemCallFilter', '@system-service'],
      ['CapabilityBoundingSet', ''],
      ['StateDirectory', 'tui-chat'],
      ['UMask', '0077'],
    ]) {
      expect(directive(unit, name!)).toContain(value);
    }
    expect(directive(unit, 'User')).toEqual(['tui-chat']);
  });

  const analyze = fs.existsSync('/usr/bin/systemd-analyze');
  (analyze ? test : test.skip)('systemd-analyze verify finds nothing, and its offline security score stays below 2', () => {
    // verify also checks that ExecStart's program exists: point it at this repository's bin.
    const dir = tempDir();
    const copy = path.join(dir, 'tui-chat.service');
    fs.writeFileSync(copy, unit.replace(/^ExecStart=\S+/m, `ExecStart=${BIN}`));
    const verify = spawnSyncText('systemd-analyze', ['verify', copy]);
    expect(verify).toEqual({ code: 0, output: '' }); // an unknown or misspelt directive is a warning here
    const security = spawnSyncText('systemd-analyze', ['security', '--offline=true', '--threshold=20', copy]);
    expect(security.output).toMatch(/Overall exposure level for tui-chat\.service: 1\.\d OK/);
    expect(security.code).toBe(0);
  });

  (fs.existsSync('/usr/bin/systemd-sysusers') ? test : test.skip)('the sysusers file makes the user the unit runs as', () => {
    const root = tempDir();
    fs.mkdirSync(path.join(root, 'etc'));
    execFileSync('systemd-sysusers', [`--root=${root}`, path.join(DEPLOY, 'tui-chat.sysusers')], { stdio: 'pipe' });
    expect(fs.readFileSync(path.join(root, 'etc', 'passwd'), 'utf8')).toMatch(
      /^tui-chat:x:\d+:\d+:tui-chat server:\/var\/lib\/tui-chat:\/usr\/sbin\/nologin$/m,
    );
  });
});

/** A command's exit code and everything it said, stdout and stderr (systemd-analyze warns on stderr and still exits 0). */
function spawnSyncText(command: string, args: string[]): { code: number | null; output: string } {
  const r = spawnSync(command, args, { encoding: 'utf8' });
  return { code: r.status, output: `${r.stdout}${r.stderr}` };
}

describe('the health check against a real server started as the image starts it', () => {
  test('exit 0 while it serves (port from the variable or the config file), 1 with a line once it is gone', async () => {
    const data = tempDir();
    // As in the container: the example config, with variables over it (and loopback for the test).
    const env = childEnv({ TUI_CHAT_CONFIG: EXAMPLE, TUI_CHAT_HOST: '127.0.0.1', TUI_CHAT_DB: path.join(data, 'chat.db') });
    const server = await serve([], env);
    expect(server.db).toBe(path.join(data, 'chat.db'));
    const { session } = await login(server.port, { user: 'alice', password: 'secret-pw', register: true }); // registration open, from the file
    expect(session.user).toBe('alice');

    expect(await healthcheck({ ...env, TUI_CHAT_PORT: String(server.port) })).toEqual({ code: 0, stderr: '' });
    const config = path.join(data, 'tui-chat.toml');
    fs.writeFileSync(config, `host = "0.0.0.0"\nport = ${server.port}\n`);
    expect(await healthcheck(childEnv({ TUI_CHAT_CONFIG: config }))).toEqual({ code: 0, stderr: '' });

    server.child.kill('SIGTERM');
    await server.exited;
    const gone = await healthcheck({ ...env, TUI_CHAT_PORT: String(server.port) });
    expect(gone.code).toBe(1);
    expect(gone.stderr).toMatch(new RegExp(`^tui-chat health: http://127\\.0\\.0\\.1:${server.port}: connect ECONNREFUSED .*\\n$`));
  });

  test('exit 1 naming the answer when the server says it is unhealthy (503)', async () => {
    const unhealthy = http.createServer((_req, res) => res.writeHead(503).end('{"ok":false,"database":"unreachable","redis":"none"}'));
    await new Promise<void>((resolve) => unhealthy.listen(0, '127.0.0.1', resolve));
    try {
      const port = (unhealthy.address() as { port: number }).port;
      const r = await healthcheck(childEnv({ TUI_CHAT_PORT: String(port) }));
      expect(r).toEqual({ code: 1, stderr: 'tui-chat health: 503 {"ok":false,"database":"unreachable","redis":"none"}\n' });
    } finally {
      unhealthy.close();
    }
  });

  test('a config file it cannot read is one line', async () => {
    const r = await healthcheck(childEnv({ TUI_CHAT_CONFIG: path.join(tempDir(), 'none.toml') }));
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^tui-chat health: cannot read .*none\.toml: ENOENT.*\n$/);
  });
});
