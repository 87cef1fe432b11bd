import { runTui } from '../../src/ui/run-tui.js';
import { ENTER, LEAVE, REPAINT } from '../../src/ui/terminal.js';
import { waitFor } from './wait.js';
import { FakeStdin, FakeStdout } from './fake-terminal.js';

function start() {
  const stdin = new FakeStdin();
  const stdout = new FakeStdout();
  const stderr = new FakeStdout();
  const done = runTui({
    url: 'http://127.0.0.1:9',
    display: '127.0.0.1:9',
    user: 'alice',
    stdin: stdin as unknown as NodeJS.ReadStream,
    stdout: stdout as unknown as NodeJS.WriteStream,
    stderr: stderr as unknown as NodeJS.WriteStream,
  });
  return { stdin, stdout, stderr, done };
}

test('takes over the terminal and gives it back on Ctrl+C, with exit code 0', async () => {
  const t = start();
  await waitFor(() => t.stdout.output.includes('Log in to 127.0.0.1:9') && t.stdin.listenerCount('readable') > 0);
  expect(t.stdout.output.startsWith(ENTER)).toBe(true);
  expect(t.stdout.output).toMatch(/Name +alice/); // --user prefills the name
  t.stdin.type('\x03');
  await expect(t.done).resolves.toBe(0);
  expect(t.stdout.output.endsWith(LEAVE)).toBe(true);
  expect(t.stdin.isRaw).toBe(false);
});

test('re-lays out on resize, down to the too-small message and back', async () => {
  const t = start();
  await waitFor(() => t.stdout.output.includes('Log in to') && t.stdin.listenerCount('readable') > 0);
  t.stdout.columns = 40;
  t.stdout.rows = 10;
  t.stdout.emit('resize');
  await waitFor(() => t.stdout.output.includes('Terminal too small: 40x10'));
  t.stdout.columns = 100;
  t.stdout.rows = 30;
  const mark = t.stdout.output.length;
  t.stdout.emit('resize');
  await waitFor(() => t.stdout.output.slice(mark).includes('Log in to'));
  t.stdin.type('\x03');
  await expect(t.done).resolves.toBe(0);
});

test('Ctrl+L clears the screen and writes the whole frame again', async () => {
  const t = start();
  await waitFor(() => t.stdout.output.includes('Log in to 127.0.0.1:9') && t.stdin.listenerCount('readable') > 0);
  const mark = t.stdout.output.length;
  t.stdin.type('\x0c');
  await waitFor(() => t.stdout.output.slice(mark).includes('Ctrl+C: quit'));
  const after = t.stdout.output.slice(mark);
  const at = after.indexOf(REPAINT);
  expect(at).toBeGreaterThanOrEqual(0);
  // Everything of the frame follows the clear, from its first row (not only what changed: nothing did).
  const frame = after.slice(at + REPAINT.length);
  for (const text of ['╔═ tui-chat', 'Log in to 127.0.0.1:9', 'Name', 'Password', 'Ctrl+C: quit', '╚═']) expect(frame).toContain(text);
  t.stdin.type('\x03');
  await expect(t.done).resolves.toBe(0);
});

test('a terminal gone (stdout EIO) ends the client as a hangup does: what can be restored is, exit 129', async () => {
  const t = start();
  await waitFor(() => t.stdout.output.includes('Log in to'));
  t.stdout.emit('error', Object.assign(new Error('write EIO'), { code: 'EIO' }));
  await expect(t.done).resolves.toBe(129);
  expect(t.stdout.output.endsWith(LEAVE)).toBe(true);
  // Late writes of the unmount failing too are no crash: the stream still has a listener.
  expect(() => t.stdout.emit('error', Object.assign(new Error('write EIO'), { code: 'EIO' }))).not.toThrow();
  expect(t.stderr.output).not.toMatch(/crashed/);
});

test("the terminal's input ending (a hung-up pty) ends the client with 129", async () => {
  const t = start();
  await waitFor(() => t.stdout.output.includes('Log in to') && t.stdin.listenerCount('readable') > 0);
  t.stdin.emit('end');
  await expect(t.done).resolves.toBe(129);
  expect(t.stderr.output).not.toMatch(/crashed/);
});

test('the restore sequence leaves the alternate screen, shows the cursor and ends bracketed paste', () => {
  expect(ENTER).toContain('\x1b[?1049h');
  expect(ENTER).toContain('\x1b[?2004h');
  expect(ENTER).toContain('\x1b[?25l');
  expect(LEAVE).toContain('\x1b[?1049l');
  expect(LEAVE).toContain('\x1b[?2004l');
  expect(LEAVE).toContain('\x1b[?25h');
  // No automatic wrap while it runs: a row drawn too wide is cut at the edge, never scrolls the frame.
  expect(ENTER).toContain('\x1b[?7l');
  expect(LEAVE).toContain('\x1b[?7h');
  expect(REPAINT).toContain('\x1b[?7l');
});
