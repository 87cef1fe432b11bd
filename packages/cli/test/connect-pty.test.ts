/** The real `tui-chat connect` on a pseudo-terminal: the CLI hands the right options to the client. */
import path from 'node:path';
import { afterEach, describe, expect, test } from '@jest/globals';
import { childEnv, cleanup, hasPty, run, serve, startInPty, tempDir } from './helpers.js';

afterEach(cleanup);

describe('tui-chat connect in a terminal', () => {
  (hasPty ? test : test.skip)('registers with --user/--register/TUI_CHAT_PASSWORD, then Ctrl+C restores the screen', async () => {
    const db = path.join(tempDir(), 'chat.db');
    const server = await serve(['--db', db, '--log-level', 'info']);
    const pty = startInPty(
      ['connect', `localhost:${server.port}`, '--user', 'Jill', '--register'],
      childEnv({ TUI_CHAT_PASSWORD: 'jill-pw', COLUMNS: '100', LINES: '30' }),
    );
    await server.waitFor(/"user":"jill".*"msg":"account registered"/, 'stderr');
    await pty.waitFor('\x1b[?1049h'); // the client took over the screen
    await pty.waitFor(`localhost:${server.port}`);
    pty.type('\x03');
    expect(await pty.exited).toBe(0);
    expect(pty.screen()).toContain('\x1b[?1049l');
    expect((await run(['user', 'list', '--db', db])).stdout).toMatch(/^jill\s/m);
  });
});
