/** `user add` asking for the password on a real pseudo-terminal. */
import path from 'node:path';
import { afterEach, describe, expect, test } from '@jest/globals';
import { cleanup, hasPty, loginCode, serve, startInPty, tempDir } from './helpers.js';

afterEach(cleanup);

const ptyTest = hasPty ? test : test.skip;

/** Types each answer once its prompt is on screen: earlier keys would be echoed by the tty before raw mode. */
async function answer(args: string[], answers: [prompt: string, keys: string][]): Promise<{ code: number | null; screen: string }> {
  const pty = startInPty(args);
  for (const [prompt, keys] of answers) {
    await pty.waitFor(prompt);
    pty.type(keys);
  }
  return { code: await pty.exited, screen: pty.screen() };
}

describe('hidden password prompt', () => {
  ptyTest('asks twice without echoing, and the account logs in', async () => {
    const db = path.join(tempDir(), 'chat.db');
    const r = await answer(
      ['user', 'add', 'hana', '--db', db],
      [
        ['Password for hana: ', 'hunter22\r'],
        ['Same password again: ', 'hunter22\r'],
      ],
    );
    expect(r.code).toBe(0);
    expect(r.screen).toMatch(/added user hana/);
    expect(r.screen).not.toMatch(/hunter/);
    const server = await serve(['--db', db]);
    expect(await loginCode(server.port, { user: 'hana', password: 'hunter22' })).toBe('accepted');
  });

  ptyTest('two different answers change nothing (exit 2); Ctrl+C cancels (exit 130)', async () => {
    const db = path.join(tempDir(), 'chat.db');
    const differ = await answer(
      ['user', 'add', 'ivan', '--db', db],
      [
        ['Password for ivan: ', 'one-pw\r'],
        ['Same password again: ', 'two-pw\r'],
      ],
    );
    expect(differ.code).toBe(2);
    expect(differ.screen).toMatch(/tui-chat: the two passwords differ; nothing was changed\./);
    const cancelled = await answer(['user', 'add', 'ivan', '--db', db], [['Password for ivan: ', 'abc\x03']]);
    expect(cancelled.code).toBe(130);
    expect(cancelled.screen).toMatch(/cancelled/);
    expect(cancelled.screen).not.toMatch(/abc/);
  });
});
