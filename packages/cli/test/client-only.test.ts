/**
 * `tui-chat` installed as someone who only chats has it: the pack unpacked into node_modules with
 * its own dependencies beside it and no `@tui-chat/server` anywhere Node looks. Help works;
 * `serve` and `user` say in one sentence what to install, with exit code 2 and no stack trace.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { childEnv, cleanup, expectOneLine, tempDir, type Result } from './helpers.js';
import { manifestOf, packTo, ROOT, unpack } from './packing.js';

let bin = '';

beforeAll(async () => {
  const app = tempDir();
  const modules = path.join(app, 'node_modules');
  const tarball = await packTo('cli', tempDir());
  await unpack(tarball, path.join(modules, 'tui-chat'));
  // Its dependencies as installed in the workspace (each finds its own from where it really lives).
  for (const dep of Object.keys((await manifestOf(tarball)).dependencies ?? {})) {
    const link = path.join(modules, dep);
    fs.mkdirSync(path.dirname(link), { recursive: true });
    fs.symlinkSync(fs.realpathSync(path.join(ROOT, 'node_modules', dep)), link);
  }
  bin = path.join(modules, 'tui-chat', 'bin', 'tui-chat.js');
}, 60_000);
afterAll(cleanup);

function runInstalled(args: string[]): Promise<Result> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [bin, ...args], { env: childEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('tui-chat installed without the server package', () => {
  test('the server is really out of reach of the installed command', () => {
    expect(fs.existsSync(path.join(path.dirname(path.dirname(bin)), '..', '@tui-chat', 'server'))).toBe(false);
    expect(fs.existsSync(path.join(path.dirname(path.dirname(bin)), '..', '@tui-chat', 'client'))).toBe(true);
  });

  test('--help and serve --help work', async () => {
    const help = await runInstalled(['--help']);
    expect({ code: help.code, stderr: help.stderr }).toEqual({ code: 0, stderr: '' });
    expect(help.stdout).toMatch(/tui-chat connect/);
    const serveHelp = await runInstalled(['serve', '--help']);
    expect(serveHelp.code).toBe(0);
    expect(serveHelp.stdout).toMatch(/--redis-prefix/);
  });

  test('serve says in one sentence how to get the server, exit 2', async () => {
    const r = await runInstalled(['serve', '--port', '0']);
    expectOneLine(
      r,
      2,
      /^tui-chat serve needs the server package: npx --allow-scripts=better-sqlite3 -p tui-chat -p @tui-chat\/server tui-chat serve \(or npm install -g --allow-scripts=better-sqlite3 tui-chat @tui-chat\/server\)\.\n$/,
    );
  });

  test.each([['list'], ['add', 'alice'], ['import']])('user %s says the same, exit 2', async (...args) => {
    const file = path.join(tempDir(), 'user_pass.txt');
    fs.writeFileSync(file, 'alice correct-horse-battery\n');
    const r = await runInstalled(['user', ...args, ...(args[0] === 'import' ? [file] : [])]);
    expectOneLine(
      r,
      2,
      /^tui-chat user needs the server package: npx --allow-scripts=better-sqlite3 -p tui-chat -p @tui-chat\/server tui-chat user /,
    );
  });
});
