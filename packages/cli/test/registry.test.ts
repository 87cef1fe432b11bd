/**
 * The packages as a user meets them: every package packed and published to a real npm registry
 * (Verdaccio, on loopback, its storage in a temporary folder; third-party packages come through it
 * from the public npm registry), then, in an empty folder, `npx tui-chat connect` in a terminal up
 * to its login screen and `npx -p tui-chat -p @tui-chat/server tui-chat serve` until it listens.
 * The client-only install is measured on the way (printed, not asserted).
 *
 * Skipped, with one line saying so, only when the public npm registry cannot be reached at all.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import semver from 'semver';
import { cleanEnv, requireTools, shellQuote, storySteps, Tmux } from './e2e/terminal.js';
import { packTo, PUBLISHED } from './packing.js';
import { serverMissingMessage } from '../src/server-package.js';

const UPLINK = 'https://registry.npmjs.org/';
/** Installing the server builds SQLite from source where no prebuilt binary fits: minutes on a busy machine. */
const INSTALL_MS = 480_000;

/** Why the public registry cannot be reached (no answer at all), or null when it answers. */
async function unreachable(): Promise<string | null> {
  try {
    await fetch(`${UPLINK}-/ping`, { signal: AbortSignal.timeout(10_000) });
    return null; // any answer, even an error status, means the network is there: the test runs
  } catch (err) {
    const cause = (err as { cause?: { code?: string } }).cause;
    return cause?.code ?? (err as Error).message;
  }
}
const offline = await unreachable();
if (offline) process.stderr.write(`registry.test.ts skipped: the npm registry ${UPLINK} cannot be reached (${offline}).\n`);

const FLOORS: Record<string, string> = { 'engine.io': '6.6.12', 'socket.io-parser': '4.2.7', ws: '8.21.1' };

/** Every package folder under a node_modules tree, nested ones included. */
function packagesIn(modules: string): { name: string; version: string; dir: string }[] {
  const found: { name: string; version: string; dir: string }[] = [];
  const visit = (dir: string) => {
    if (!fs.existsSync(dir)) return;
    for (const entry of fs.readdirSync(dir)) {
      if (entry.startsWith('.')) continue;
      const full = path.join(dir, entry);
      if (entry.startsWith('@')) {
        visit(full);
        continue;
      }
      const manifest = path.join(full, 'package.json');
      if (!fs.existsSync(manifest)) continue;
      const { name, version } = JSON.parse(fs.readFileSync(manifest, 'utf8')) as { name: string; version: string };
      found.push({ name, version, dir: full });
      visit(path.join(full, 'node_modules'));
    }
  };
  visit(modules);
  return found;
}

/** Disk space under a folder, as `du` counts it (blocks, not file lengths). */
function bytesIn(dir: string): number {
  let total = fs.statSync(dir).blocks * 512;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) total += bytesIn(full);
    else total += fs.lstatSync(full).blocks * 512;
  }
  return total;
}

interface Child {
  child: ChildProcess;
  output(): string;
  exited: Promise<number | null>;
}

const children = new Set<ChildProcess>();

/** A command run in its own process group (npx starts a shell and node under it), output kept. */
function launch(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv): Child {
  const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  children.add(child);
  let out = '';
  child.stdout!.setEncoding('utf8').on('data', (d: string) => (out += d));
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (out += d));
  const exited = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));
  void exited.then(() => children.delete(child));
  return { child, output: () => out, exited };
}

async function finish(c: Child, what: string, timeout: number): Promise<string> {
  const killer = setTimeout(() => c.child.pid && process.kill(-c.child.pid, 'SIGKILL'), timeout);
  const code = await c.exited;
  clearTimeout(killer);
  if (code !== 0) throw new Error(`${what} failed (exit ${code}):\n${c.output()}`);
  return c.output();
}

/** Resolves with the first match of `pattern` in the output; rejects if the process ends first or time runs out. */
function waitForOutput(c: Child, pattern: RegExp, what: string, timeout: number): Promise<RegExpMatchArray> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => done(new Error(`timed out after ${timeout} ms waiting for ${what}:\n${c.output()}`)), timeout);
    const poll = setInterval(() => {
      const m = c.output().match(pattern);
      if (m) done(null, m);
    }, 50);
    const done = (err: Error | null, m?: RegExpMatchArray) => {
      clearTimeout(timer);
      clearInterval(poll);
      if (err) reject(err);
      else resolve(m!);
    };
    void c.exited.then((code) => {
      const m = c.output().match(pattern);
      if (m) done(null, m);
      else done(new Error(`${what}: the process ended (exit ${code}) first:\n${c.output()}`));
    });
  });
}

(offline ? describe.skip : describe)('the packages from a real npm registry', () => {
  const step = storySteps(test);
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'tui-chat-registry-'));
  const storage = path.join(work, 'registry');
  const cache = path.join(work, 'npm-cache'); // shared by every npm run here, so the second install reuses the first's downloads
  const app = path.join(work, 'app'); // the user's empty folder
  const packs = path.join(work, 'packs');
  for (const dir of [storage, cache, app, packs]) fs.mkdirSync(dir);
  // The parent's environment without jest's and npm's own settings (npm test exports npm_config_*).
  const env: NodeJS.ProcessEnv = Object.fromEntries(
    Object.entries(cleanEnv({ TUI_CHAT_SCRYPT_N: '1024', XDG_DATA_HOME: work })).filter(([k]) => !/^npm_|^INIT_CWD$/i.test(k)),
  );
  const tmux = new Tmux();
  let registry = '';
  let npmFlags: string[] = [];
  let verdaccio: Child | undefined;
  let serverPort = 0;

  beforeAll(async () => {
    requireTools();
    verdaccio = launch(process.execPath, [fileURLToPath(new URL('registry/verdaccio.mjs', import.meta.url)), storage, UPLINK], work, env);
    const port = Number((await waitForOutput(verdaccio, /^listening (\d+)$/m, 'Verdaccio to listen', 60_000))[1]);
    registry = `http://127.0.0.1:${port}/`;
    npmFlags = ['--registry', registry, '--cache', cache, '--no-audit', '--no-fund', '--no-update-notifier'];
    const created = await fetch(`${registry}-/user/org.couchdb.user:ci`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'ci', password: 'a password for ci only' }),
    });
    const { token } = (await created.json()) as { token: string };
    const auth = `--//127.0.0.1:${port}/:_authToken=${token}`;
    await Promise.all(
      PUBLISHED.map(async (name) => {
        const tarball = await packTo(name, packs);
        await finish(launch('npm', ['publish', tarball, ...npmFlags, auth, '--ignore-scripts'], app, env), `npm publish ${name}`, 120_000);
      }),
    );
  }, 180_000);

  afterAll(async () => {
    for (const child of children) if (child.pid) process.kill(-child.pid, 'SIGTERM');
    await tmux.kill();
    fs.rmSync(work, { recursive: true, force: true });
  });

  step(
    'npx tui-chat installs the client only: no server, nothing native, the socket.io pieces at their floors',
    async () => {
      const started = Date.now();
      const out = await finish(
        launch('npx', [...npmFlags, '--yes', 'tui-chat', '--version'], app, env),
        'npx tui-chat --version',
        INSTALL_MS,
      );
      const seconds = (Date.now() - started) / 1000;
      expect(out.trim().split('\n').pop()).toBe(JSON.parse(fs.readFileSync(new URL('../package.json', import.meta.url), 'utf8')).version);
      const [tree] = fs
        .readdirSync(path.join(cache, '_npx'))
        .map((d) => path.join(cache, '_npx', d, 'node_modules'))
        .filter((d) => fs.existsSync(path.join(d, 'tui-chat')));
      const installed = packagesIn(tree!);
      process.stderr.write(
        `registry.test.ts: client-only install by npx: ${installed.length} packages, ${(bytesIn(tree!) / 2 ** 20).toFixed(0)} MB, ` +
          `${seconds.toFixed(1)} s (empty npm cache, third-party packages through Verdaccio from ${UPLINK}; load ${os.loadavg()[0]!.toFixed(1)})\n`,
      );
      const names = new Set(installed.map((p) => p.name));
      expect([...names].filter((n) => /^(@tui-chat\/server|better-sqlite3|pg|ioredis|socket\.io|engine\.io)$/.test(n))).toEqual([]);
      expect(installed.filter((p) => fs.existsSync(path.join(p.dir, 'binding.gyp'))).map((p) => p.name)).toEqual([]);
      const belowFloor = installed.filter((p) => FLOORS[p.name] && semver.lt(p.version, FLOORS[p.name]!));
      expect(belowFloor.map((p) => `${p.name}@${p.version}`)).toEqual([]);
    },
    INSTALL_MS + 10_000,
  );

  step('npx tui-chat serve without the server package says what to run, exit 2', async () => {
    const c = launch('npx', [...npmFlags, '--yes', 'tui-chat', 'serve', '--port', '0'], app, env);
    const code = await c.exited;
    expect({ code, said: c.output().includes(serverMissingMessage('serve')) }).toEqual({ code: 2, said: true });
    expect(c.output()).not.toMatch(/^\s+at /m);
  });

  step(
    'npx -p tui-chat -p @tui-chat/server tui-chat serve listens',
    async () => {
      const c = launch(
        'npx',
        [
          ...npmFlags,
          '--yes',
          '--allow-scripts=better-sqlite3',
          '-p',
          'tui-chat',
          '-p',
          '@tui-chat/server',
          'tui-chat',
          'serve',
          '--port',
          '0',
          '--db',
          path.join(work, 'chat.db'),
          '--log-level',
          'warn',
        ],
        app,
        { ...env, JOBS: 'max' }, // node-gyp compiles SQLite's two sources on all cores
      );
      const m = await waitForOutput(c, /tui-chat server listening on 127\.0\.0\.1:(\d+) /, 'tui-chat serve to listen', INSTALL_MS);
      serverPort = Number(m[1]);
      const [tree] = fs
        .readdirSync(path.join(cache, '_npx'))
        .map((d) => path.join(cache, '_npx', d, 'node_modules'))
        .filter((d) => fs.existsSync(path.join(d, '@tui-chat', 'server')));
      const belowFloor = packagesIn(tree!).filter((p) => FLOORS[p.name] && semver.lt(p.version, FLOORS[p.name]!));
      expect(belowFloor.map((p) => `${p.name}@${p.version}`)).toEqual([]);
    },
    INSTALL_MS + 10_000,
  );

  step(
    'npx tui-chat connect shows its login screen in a terminal, against that server',
    async () => {
      const command = ['npx', ...npmFlags, '--yes', 'tui-chat', 'connect', `127.0.0.1:${serverPort}`].map(shellQuote).join(' ');
      const term = await tmux.open('user', `cd ${shellQuote(app)} && ${command}`);
      await term.waitFor(/Password/, 'the login screen', 60_000);
      const screen = await term.screen();
      expect(screen).toContain(`127.0.0.1:${serverPort}`);
    },
    70_000,
  );
});
