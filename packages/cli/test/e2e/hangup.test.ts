/**
 * End to end: the terminal goes away under a running `tui-chat connect` (its tmux window is
 * killed, so the pty hangs up). The client ends quietly with 129 (the shell's number for SIGHUP),
 * prints nothing and keeps what was unsent, whether the shell forwards SIGHUP (as bash does) or
 * ignores it (then the client notices the terminal's input ending). Each client runs under a small
 * sh wrapper that outlives the terminal to record the exit code and the client's stderr in files.
 * (The client's Node flags are checked here too: the first test has its process at hand.)
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, test } from '@jest/globals';
import { CLIENT_NODE_FLAGS } from '../../src/client-process.js';
import {
  BIN,
  headless,
  register,
  requireTools,
  shellQuote,
  startServer,
  Term,
  Tmux,
  WAIT_MS,
  type ChatServerProcess,
  PASSWORD,
} from './terminal.js';

let server: ChatServerProcess;
let tmux: Tmux;
let dir: string;

beforeAll(async () => {
  requireTools();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tui-chat-hangup-'));
  tmux = new Tmux();
  // A window that stays, so the tmux server outlives the ones the tests close.
  await tmux.open('keep', 'sleep 600');
  server = await startServer();
  await register(server.port, 'alice', PASSWORD);
  await register(server.port, 'bob', PASSWORD);
}, 60_000);

afterAll(async () => {
  await tmux?.kill();
  await server?.stop();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
}, 60_000);

/**
 * `tui-chat connect ARGS` in a new window, under sh that records its exit code and stderr. The
 * client runs in the background of a non-interactive sh (its terminal handed over explicitly),
 * so the sh's own handling of SIGHUP decides what the client gets: `forward` is what an
 * interactive shell does on hangup, `ignore` a shell (or nohup) that lets the client find out itself.
 */
async function wrapped(name: string, args: string[], onHup: 'forward' | 'ignore', env: Record<string, string> = {}) {
  const code = path.join(dir, `${name}.code`);
  const pid = path.join(dir, `${name}.pid`);
  const stderr = path.join(dir, `${name}.stderr`);
  const client = [process.execPath, BIN, 'connect', ...args].map(shellQuote).join(' ');
  const script = [
    onHup === 'forward' ? `trap 'kill -HUP $pid' HUP` : `trap '' HUP`,
    'exec 3<&0',
    `${client} <&3 3<&- 2>${shellQuote(stderr)} & pid=$!`,
    `echo $pid > ${shellQuote(pid)}`,
    'while kill -0 $pid 2>/dev/null; do wait $pid; done',
    `wait $pid; echo $? > ${shellQuote(code)}`,
  ].join('\n');
  // The wrapper is the pane's process itself (exec), so it is the session leader the hangup goes to.
  const envArgs = Object.entries(env).flatMap(([k, v]) => ['-e', `${k}=${v}`]);
  await tmux.run(['new-session', '-d', '-s', name, '-x', '120', '-y', '36', ...envArgs, `exec sh -c ${shellQuote(script)}`]);
  return {
    term: new Term(tmux, name, 120, 36),
    /** The client's command line as the kernel has it (after any relaunch: the same pid). */
    commandLine: () => fs.readFileSync(`/proc/${fs.readFileSync(pid, 'utf8').trim()}/cmdline`, 'utf8').split('\0'),
    /**
     * Kills the window (the pty hangs up), runs `after` (what may happen next, e.g. a message
     * arriving), and resolves with the exit code and what went to stderr.
     */
    async hangUp(after?: () => Promise<void>): Promise<{ code: number; stderr: string }> {
      await tmux.run(['kill-window', '-t', name]);
      await after?.();
      const start = Date.now();
      while (!fs.existsSync(code) || fs.readFileSync(code, 'utf8') === '') {
        if (Date.now() - start > WAIT_MS) throw new Error(`${name}: the client was still running ${WAIT_MS} ms after its terminal closed`);
        await new Promise((resolve) => setTimeout(resolve, 40));
      }
      return { code: Number(fs.readFileSync(code, 'utf8').trim()), stderr: fs.readFileSync(stderr, 'utf8') };
    },
  };
}

/** What stderr shows a person: without the cursor-show sequence a library writes on the way out. */
const visible = (text: string) => text.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '');

test('the shell ignores SIGHUP: the client finds its terminal gone, ends with 129, prints nothing; no keystroke is logged', async () => {
  const keylog = path.join(dir, 'keys.log');
  // TUI_CHAT_KEYLOG once wrote every keystroke, passwords included, to a file: it is gone.
  const { term, hangUp, commandLine } = await wrapped('ignore', [server.address], 'ignore', { TUI_CHAT_KEYLOG: keylog });
  await term.waitFor(/Log in to/, 'the login screen');
  // Where Node can replace a process in place (22.15 on), the client runs with its own flags (client-process.ts).
  const relaunches = typeof (process as { execve?: unknown }).execve === 'function';
  expect(CLIENT_NODE_FLAGS.every((flag) => commandLine().includes(flag))).toBe(relaunches);
  await term.type('alice');
  await term.press('Enter');
  await term.waitFor(/║ ▸ Password +║/, 'the password field focused');
  await term.type(PASSWORD);
  await term.waitFor(new RegExp(`║ ▸ Password +•{${PASSWORD.length}} +║`), 'the password as bullets');
  await term.press('Enter');
  await term.waitFor((s) => term.statusRow(s).startsWith(` alice @ ${server.address} · connected`), 'alice logged in');

  // A message for alice after her terminal is gone: a client still running would draw it (and,
  // before this was fixed, crash on the write: EIO, exit 1 on Node 24, a native assertion on 20).
  const { code, stderr } = await hangUp(async () => {
    const bob = await headless(server.port, { user: 'bob', password: PASSWORD });
    await bob.timeout(WAIT_MS).emitWithAck('message:send', { to: 'alice', text: 'are you there?', clientId: 'bob-hangup-1' });
    bob.disconnect();
  });
  expect({ code, stderr: visible(stderr) }).toEqual({ code: 129, stderr: '' });
  expect(fs.existsSync(keylog)).toBe(false);
}, 60_000);

test('the shell forwards SIGHUP: the client ends with 129, prints nothing, and what was unsent waits on disk', async () => {
  const { term, hangUp } = await wrapped('forward', [server.address, '--user', 'bob'], 'forward', { TUI_CHAT_PASSWORD: PASSWORD });
  await term.waitFor((s) => term.statusRow(s).startsWith(` bob @ ${server.address} · connected`), 'bob logged in');
  // The server goes: what bob types now cannot leave, and must outlive his terminal.
  await server.crash();
  await term.waitFor((s) => !term.statusRow(s).includes('· connected'), 'bob told the connection is lost');
  await term.typeLine('/msg alice typed before the window closed');

  const { code, stderr } = await hangUp();
  expect({ code, stderr: visible(stderr) }).toEqual({ code: 129, stderr: '' });
  const outbox = path.join(tmux.stateHome, 'tui-chat', 'outbox');
  const files = fs.readdirSync(outbox, { recursive: true, withFileTypes: true }).filter((f) => f.isFile() && f.name.startsWith('bob.'));
  const saved = files.map((f) => fs.readFileSync(path.join(f.parentPath, f.name), 'utf8')).join('');
  expect(saved).toContain('typed before the window closed');
}, 60_000);
