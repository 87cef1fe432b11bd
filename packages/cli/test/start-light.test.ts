/**
 * `tui-chat --help` and `tui-chat connect` up to the drawn login screen load no server code (no
 * SQLite, PostgreSQL, Redis, socket.io server, zod) and no socket.io client before it is needed:
 * that is most of what made them slow to start; the client comes from its bundle (a few files, with
 * its patches of Ink in). Every module the real bin loads is recorded by a module hook given
 * through NODE_OPTIONS.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, test } from '@jest/globals';
import { childEnv, cleanup, hasPty, run, startInPty, tempDir } from './helpers.js';

afterEach(cleanup);

/** An environment whose node records every module URL it loads in the returned file. */
function recording(): { env: NodeJS.ProcessEnv; loaded: () => string[] } {
  const dir = tempDir();
  const log = path.join(dir, 'loaded.txt');
  const hooks = path.join(dir, 'hooks.mjs');
  fs.writeFileSync(
    hooks,
    `import fs from 'node:fs';
export async function load(url, context, next) {
  fs.appendFileSync(${JSON.stringify(log)}, url + '\\n');
  return next(url, context);
}\n`,
  );
  const register = path.join(dir, 'register.mjs');
  fs.writeFileSync(register, `import { register } from 'node:module';\nregister(${JSON.stringify(`file://${hooks}`)});\n`);
  return {
    env: childEnv({ NODE_OPTIONS: `--import=${register}` }),
    loaded: () => (fs.existsSync(log) ? fs.readFileSync(log, 'utf8').trim().split('\n') : []),
  };
}

/** Modules that belong to serving, never to --help or a client. */
const SERVER_SIDE = /\/packages\/server\/dist\/|\/node_modules\/(better-sqlite3|pg|pg-pool|ioredis|socket\.io|engine\.io|zod|pino)\//;

describe('start-up loads only what it needs', () => {
  test('--help loads no server code and no zod', async () => {
    const rec = recording();
    const r = await run(['--help'], rec.env);
    expect(r.code).toBe(0);
    const loaded = rec.loaded();
    expect(loaded.some((u) => u.includes('/packages/cli/dist/main.js'))).toBe(true); // the recording works
    expect(loaded.filter((u) => SERVER_SIDE.test(u))).toEqual([]);
    expect(loaded.filter((u) => /\/node_modules\/(ink|react|socket\.io-client)\//.test(u))).toEqual([]);
  });

  (hasPty ? test : test.skip)('connect draws its login screen with no server code loaded', async () => {
    const rec = recording();
    // Nothing listens on the discard port: the login screen must not wait for a server.
    const pty = startInPty(['connect', '127.0.0.1:9'], { ...rec.env, COLUMNS: '100', LINES: '30' });
    await pty.waitFor('Password');
    const atLoginScreen = rec.loaded();
    pty.type('\x03');
    await pty.exited;
    expect(atLoginScreen.some((u) => u.includes('/packages/client/dist/bundle/tui.js'))).toBe(true); // the recording works
    expect(atLoginScreen.filter((u) => SERVER_SIDE.test(u))).toEqual([]);
    // The client runs from its bundle: Ink, React and yoga are in it, not found one by one.
    expect(atLoginScreen.filter((u) => /\/node_modules\/(ink|react|react-reconciler|yoga-layout|es-toolkit)\//.test(u))).toEqual([]);
    // and its patches are in (one left out is said when the client ends).
    expect(pty.screen()).not.toMatch(/patch was left out/);
  });
});
