/**
 * End-to-end helpers: the real `tui-chat` bin in real terminals. Each test file gets its own tmux
 * server (a private -L socket, never the default one), its own `tui-chat serve --port 0` on a
 * temporary database, and reads the screen with `tmux capture-pane` as a person would. Every wait
 * polls the screen with a bounded timeout and fails with the last screen; nothing sleeps for luck.
 *
 * The README's captures come from these tests:
 *   npx tsc -b packages/cli && TUI_CHAT_SAVE_SCREENS=docs/screens \
 *     NODE_OPTIONS='--experimental-vm-modules --no-warnings' npx jest packages/cli/test/e2e
 */
import { execFile, execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll } from '@jest/globals';
import { io, type Socket } from 'socket.io-client';

export const BIN = fileURLToPath(new URL('../../bin/tui-chat.js', import.meta.url));
const DIST = fileURLToPath(new URL('../../dist/main.js', import.meta.url));

/** How long any one wait for the screen may take. */
export const WAIT_MS = 15_000;
/** The password every end-to-end user is made with. */
export const PASSWORD = 'correct-horse-1';
/** How long one step of a story may take. */
export const STEP_MS = 60_000;
/** The terminal sizes the stories run at (describe.each): a roomy one and the classic 80x24. */
export const SIZES: [columns: number, rows: number][] = [
  [120, 36],
  [80, 24],
];
const POLL_MS = 40;

/** Fails with a clear message when tmux or the build is missing. */
export function requireTools(): void {
  let version = '';
  try {
    version = execFileSync('tmux', ['-V'], { encoding: 'utf8' }).trim();
  } catch {
    throw new Error(
      'The end-to-end tests drive the real client in tmux, and tmux is not installed (`tmux -V` failed). ' +
        'Install it (apt-get install tmux; CI machines have tmux 3.3).',
    );
  }
  const m = /(\d+)\.(\d+)/.exec(version);
  if (!m || Number(m[1]) < 3 || (Number(m[1]) === 3 && Number(m[2]) < 2)) {
    throw new Error(`The end-to-end tests need tmux 3.2 or later (new-session -e); this machine has "${version}".`);
  }
  if (!fs.existsSync(DIST)) throw new Error('packages/cli is not built: run `npx tsc -b packages/cli` first.');
}

/**
 * The parent's environment minus what would change the children: jest's NODE_OPTIONS and NODE_ENV=test, tui-chat
 * settings, and CI markers and colour switches (with CI=... set, chalk turns colours off, so the
 * cursor's inverse cell would not show; a person's terminal has none of these).
 */
const DROPPED = new Set(['NODE_OPTIONS', 'NODE_ENV', 'TMUX', 'TMUX_PANE', 'CI', 'CONTINUOUS_INTEGRATION', 'NO_COLOR', 'FORCE_COLOR']);
export function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (k.startsWith('TUI_CHAT_') || DROPPED.has(k)) continue;
    env[k] = v;
  }
  return { ...env, LANG: 'C.UTF-8', LC_ALL: 'C.UTF-8', ...extra };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Single-quotes a word for sh. */
export function shellQuote(word: string): string {
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

// ---------------------------------------------------------------------------------------------
// The server

export interface ChatServerProcess {
  port: number;
  address: string;
  dir: string;
  stop(): Promise<void>;
  /** kill -9: no goodbye to anyone; resolves once the process is gone. */
  crash(): Promise<void>;
}

/**
 * `tui-chat serve --port 0` on a fresh temporary database, with cheap password hashing. `seed`
 * may write into that database before the server opens it (what no user could send fast enough).
 */
export async function startServer(extraArgs: string[] = [], seed?: (dbFile: string) => Promise<void>): Promise<ChatServerProcess> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tui-chat-e2e-'));
  if (seed) await seed(path.join(dir, 'chat.db'));
  const child: ChildProcess = spawn(
    process.execPath,
    [
      BIN,
      'serve',
      '--port',
      '0',
      '--db',
      path.join(dir, 'chat.db'),
      '--log-level',
      process.env.TUI_CHAT_E2E_SERVER_LOG ? 'debug' : 'warn',
      ...extraArgs,
    ],
    { env: cleanEnv({ TUI_CHAT_PASSWORD_COST: 'low', XDG_DATA_HOME: dir }), stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let out = '';
  let err = '';
  child.stdout!.setEncoding('utf8').on('data', (d: string) => (out += d));
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (err += d));
  // Debugging aid: TUI_CHAT_E2E_SERVER_LOG=FILE appends the server's debug log there.
  const log = process.env.TUI_CHAT_E2E_SERVER_LOG;
  if (log) child.stderr!.on('data', (d: string) => fs.appendFileSync(log, d));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(killer);
    }
    fs.rmSync(dir, { recursive: true, force: true });
  };
  const start = Date.now();
  for (;;) {
    const m = /tui-chat server listening on 127\.0\.0\.1:(\d+) /.exec(out);
    if (m) {
      const port = Number(m[1]);
      const crash = async () => {
        child.kill('SIGKILL');
        await exited;
      };
      return { port, address: `127.0.0.1:${port}`, dir, stop, crash };
    }
    if (child.exitCode !== null || Date.now() - start > WAIT_MS) {
      await stop();
      throw new Error(`tui-chat serve did not start (exit ${child.exitCode}); stdout: ${out}\nstderr: ${err}`);
    }
    await sleep(POLL_MS);
  }
}

// ---------------------------------------------------------------------------------------------
// A headless user (socket.io-client), for what a keyboard cannot type

export type HeadlessSocket = Socket;

/** Logs in (or registers) over socket.io, as the real client does; resolves once the session is ready. */
export function headless(port: number, auth: { user: string; password: string; register?: boolean }): Promise<HeadlessSocket> {
  const socket = io(`http://127.0.0.1:${port}`, { transports: ['websocket'], reconnection: false, forceNew: true, auth });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`headless login of ${auth.user} timed out`)), WAIT_MS);
    socket.once('session:ready', () => {
      clearTimeout(timer);
      resolve(socket);
    });
    socket.once('connect_error', (e: Error & { data?: { message?: string } }) => {
      clearTimeout(timer);
      socket.disconnect();
      reject(new Error(`headless login of ${auth.user} refused: ${e.data?.message ?? e.message}`));
    });
  });
}

/** Registers an account and logs straight out again. */
export async function register(port: number, user: string, password: string): Promise<void> {
  const socket = await headless(port, { user, password, register: true });
  await socket.timeout(WAIT_MS).emitWithAck('session:logout', {});
  socket.disconnect();
}

// ---------------------------------------------------------------------------------------------
// tmux

let serial = 0;

/** A private tmux server; `kill()` ends it and everything running in it. */
export class Tmux {
  readonly socket = `tuichat-e2e-${process.pid}-${++serial}`;
  /** The clients' settings folder (XDG_CONFIG_HOME): empty, so a person's own settings never reach a test. */
  readonly configHome = fs.mkdtempSync(path.join(os.tmpdir(), 'tui-chat-e2e-config-'));
  /** Where the clients keep unsent messages (XDG_STATE_HOME): the test's own. */
  readonly stateHome = fs.mkdtempSync(path.join(os.tmpdir(), 'tui-chat-e2e-state-'));
  private readonly env = cleanEnv({ XDG_CONFIG_HOME: this.configHome, XDG_STATE_HOME: this.stateHome });

  run(args: string[]): Promise<string> {
    return new Promise((resolve, reject) => {
      execFile('tmux', ['-L', this.socket, '-f', '/dev/null', ...args], { env: this.env, encoding: 'utf8' }, (error, stdout, stderr) => {
        if (error) reject(new Error(`tmux ${args.join(' ')} failed: ${stderr || error.message}`));
        else resolve(stdout);
      });
    });
  }

  /**
   * A new session running `command` in sh; when it ends, the pane prints EXIT=<code> and stays, so
   * the screen after exit can be read.
   */
  async open(
    name: string,
    command: string,
    options: { columns?: number; rows?: number; env?: Record<string, string> } = {},
  ): Promise<Term> {
    const columns = options.columns ?? 120;
    const rows = options.rows ?? 36;
    const envArgs = Object.entries(options.env ?? {}).flatMap(([k, v]) => ['-e', `${k}=${v}`]);
    const script = `${command}; echo EXIT=$?; sleep 120`;
    await this.run([
      'new-session',
      '-d',
      '-s',
      name,
      '-x',
      String(columns),
      '-y',
      String(rows),
      ...envArgs,
      `exec sh -c ${shellQuote(script)}`,
    ]);
    return new Term(this, name, columns, rows);
  }

  /** `tui-chat connect` in a new terminal. */
  connect(
    name: string,
    address: string,
    options: { user?: string; password?: string; register?: boolean; remember?: boolean; columns?: number; rows?: number } = {},
  ): Promise<Term> {
    const args = ['connect', address];
    if (options.user) args.push('--user', options.user);
    if (options.register) args.push('--register');
    if (options.remember) args.push('--remember');
    const command = [process.execPath, BIN, ...args].map(shellQuote).join(' ');
    const env: Record<string, string> = {};
    if (options.password !== undefined) env.TUI_CHAT_PASSWORD = options.password;
    return this.open(name, command, { ...options, env });
  }

  /** `tui-chat connect` logged in (a name and TUI_CHAT_PASSWORD given): resolves once its status bar says connected. */
  async loggedIn(
    name: string,
    address: string,
    options: { user: string; password: string; register?: boolean; columns?: number; rows?: number },
  ): Promise<Term> {
    const term = await this.connect(name, address, options);
    await term.waitFor((s) => term.statusRow(s).includes('· connected'), `${name} connected`);
    return term;
  }

  private measured = new Map<string, number>();
  private measuring: Promise<unknown> = Promise.resolve();

  /**
   * The cells tmux itself gives a text (a row of a capture): printed in a wide scratch pane of
   * this server, read from where the cursor ends. Rows are measured by the terminal, not by the
   * client's own idea of widths. Rows of plain ASCII and box drawing are counted directly.
   */
  cells(text: string): Promise<number> {
    if (/^[\x20-\x7e\u2500-\u257f●○▸›…↓↑·✗]*$/u.test(text)) return Promise.resolve([...text].length);
    const known = this.measured.get(text);
    if (known !== undefined) return Promise.resolve(known);
    const next = this.measuring.then(() => this.measure(text));
    this.measuring = next.catch(() => undefined);
    return next;
  }

  private async measure(text: string): Promise<number> {
    const END = '<<end>>';
    const exists = await this.run(['has-session', '-t', 'measure']).then(
      () => true,
      () => false,
    );
    if (!exists) await this.run(['new-session', '-d', '-s', 'measure', '-x', '1000', '-y', '3', 'sleep 600']);
    await this.run(['respawn-pane', '-k', '-t', 'measure', `printf '%s%s' ${shellQuote(text)} '${END}'; sleep 600`]);
    const start = Date.now();
    for (;;) {
      const line = (await this.run(['capture-pane', '-p', '-t', 'measure'])).split('\n')[0] ?? '';
      if (line.endsWith(END)) {
        const x = Number((await this.run(['display-message', '-p', '-t', 'measure', '#{cursor_x}'])).trim());
        const cells = x - END.length;
        this.measured.set(text, cells);
        return cells;
      }
      if (Date.now() - start > WAIT_MS) throw new Error(`tmux did not print ${JSON.stringify(text)} to measure it`);
      await sleep(POLL_MS);
    }
  }

  /** Ends this tmux server (and every client in it) and removes its socket file. */
  async kill(): Promise<void> {
    const socketPath = (await this.run(['display-message', '-p', '#{socket_path}']).catch(() => '')).trim();
    await this.run(['kill-server']).catch(() => undefined);
    fs.rmSync(this.configHome, { recursive: true, force: true });
    fs.rmSync(this.stateHome, { recursive: true, force: true });
    if (socketPath.endsWith(this.socket)) {
      for (const file of [socketPath, `${socketPath}.lock`]) fs.rmSync(file, { force: true });
    }
  }
}

export type ScreenCheck = RegExp | ((screen: string) => boolean);

/** One terminal: what it shows, and keys typed into it. */
export class Term {
  constructor(
    readonly tmux: Tmux,
    readonly name: string,
    public columns: number,
    public rows: number,
  ) {}

  /**
   * Bytes the program wrote to its terminal while `fn` ran (tmux pipe-pane). The pipe's reader
   * marks the file when it has read everything, and this waits for the mark.
   */
  async bytesWhile(fn: () => Promise<void>): Promise<number> {
    const file = path.join(this.tmux.stateHome, `${this.name}-bytes-${++serial}`);
    await this.tmux.run(['pipe-pane', '-o', '-t', this.name, `cat > '${file}'; touch '${file}.done'`]);
    await fn();
    await this.tmux.run(['pipe-pane', '-t', this.name]);
    const start = Date.now();
    while (!fs.existsSync(`${file}.done`)) {
      if (Date.now() - start > WAIT_MS) throw new Error(`tmux pipe-pane did not finish writing ${file}`);
      await sleep(POLL_MS);
    }
    return fs.statSync(file).size;
  }

  /** The screen as text, one line per row (trailing blanks trimmed by tmux). */
  screen(): Promise<string> {
    return this.tmux.run(['capture-pane', '-p', '-t', this.name]);
  }

  /** The screen with its SGR attributes (-e), for finding the inverse cursor cell. */
  styledScreen(): Promise<string> {
    return this.tmux.run(['capture-pane', '-p', '-e', '-t', this.name]);
  }

  async lines(): Promise<string[]> {
    return (await this.screen()).split('\n');
  }

  /** A tmux format for this pane, e.g. '#{pane_title}'. */
  async format(fmt: string): Promise<string> {
    return (await this.tmux.run(['display-message', '-p', '-t', this.name, fmt])).replace(/\n$/, '');
  }

  /** Types text literally. */
  async type(text: string): Promise<void> {
    await this.tmux.run(['send-keys', '-t', this.name, '-l', text]);
  }

  /** Presses named keys (tmux names: Enter, Escape, F2, Left, C-u ...), one send-keys call each. */
  async press(...keys: string[]): Promise<void> {
    for (const key of keys) await this.tmux.run(['send-keys', '-t', this.name, key]);
  }

  /** Polls the screen until `check` holds; fails with `what` and the last screen. */
  async waitFor(check: ScreenCheck, what: string, timeout = WAIT_MS): Promise<string> {
    const test = typeof check === 'function' ? check : (s: string) => check.test(s);
    const start = Date.now();
    let screen = '';
    for (;;) {
      screen = await this.screen();
      if (test(screen)) return screen;
      if (Date.now() - start > timeout) {
        throw new Error(
          `${this.name}: timed out after ${timeout} ms waiting for ${what}. Last screen (${this.columns}x${this.rows}):\n${frame(screen)}`,
        );
      }
      await sleep(POLL_MS);
    }
  }

  /** Like waitFor, on the screen with its attributes (capture-pane -e). */
  async waitForStyled(check: (styled: string) => boolean, what: string, timeout = WAIT_MS): Promise<string> {
    const start = Date.now();
    for (;;) {
      const styled = await this.styledScreen();
      if (check(styled)) return styled;
      if (Date.now() - start > timeout) {
        throw new Error(`${this.name}: timed out after ${timeout} ms waiting for ${what}. Last screen:\n${frame(await this.screen())}`);
      }
      await sleep(POLL_MS);
    }
  }

  /** The row inside the input box (the frame is rows - 1 tall: input box, then the status bar). */
  inputRow(screen: string): string {
    return screen.split('\n')[this.inputRowIndex] ?? '';
  }

  get inputRowIndex(): number {
    return this.rows - 4;
  }

  /** The status bar (the last row of the frame). */
  statusRow(screen: string): string {
    return screen.split('\n')[this.rows - 2] ?? '';
  }

  /** What is typed in the input line, after the prompt. */
  inputText(screen: string): string {
    const row = this.inputRow(screen);
    const m = /^[║│](.*?› ?)(.*?)\s*[║│]$/.exec(row);
    return m ? m[2]! : '';
  }

  /**
   * Types a line and presses Enter, waiting for each to be read: the text shown in the input
   * line, then the input line empty again. (Keys sent before the client read the Enter would
   * reach it in one chunk, which a terminal without bracketed paste cannot tell from a paste.)
   */
  async typeLine(text: string): Promise<void> {
    await this.type(text);
    const tail = text.slice(-Math.min(text.length, Math.max(8, this.columns - 30)));
    await this.waitFor((s) => this.inputText(s).endsWith(tail), `the input line to show ${JSON.stringify(text)}`);
    await this.press('Enter');
    await this.waitFor((s) => this.inputText(s) === '', `the input line to empty after ${JSON.stringify(text)}`);
  }

  async resize(columns: number, rows: number): Promise<void> {
    await this.tmux.run(['resize-window', '-t', this.name, '-x', String(columns), '-y', String(rows)]);
    this.columns = columns;
    this.rows = rows;
  }
}

/** A story's world: its own tmux server and chat server, there from beforeAll on. */
export interface Stage {
  tmux: Tmux;
  server: ChatServerProcess;
}

/**
 * What every end-to-end story sets up: the tools checked, a tmux server of its own and a chat
 * server (started by `start`, then `ready` for accounts and the like), both taken down after the
 * describe block or file that calls it (`cleanup` first, for what `ready` opened).
 */
export function stage(
  options: {
    start?: () => Promise<ChatServerProcess>;
    ready?: (stage: Stage) => Promise<void>;
    cleanup?: () => void;
    timeoutMs?: number;
  } = {},
): Stage {
  const world = {} as Stage;
  const timeout = options.timeoutMs ?? 60_000;
  beforeAll(async () => {
    requireTools();
    world.tmux = new Tmux();
    world.server = await (options.start ?? (() => startServer()))();
    await options.ready?.(world);
  }, timeout);
  afterAll(async () => {
    options.cleanup?.();
    await world.tmux?.kill();
    await world.server?.stop();
  }, timeout);
  return world;
}

/**
 * Tests that tell one story in order: once a step fails, the later ones fail at once instead of
 * each waiting out its timeouts on a screen that will never come.
 */
export function storySteps(test: (name: string, fn: () => Promise<void>, timeout?: number) => void) {
  let failed: string | null = null;
  return (name: string, fn: () => Promise<void>, timeout?: number) =>
    test(
      name,
      async () => {
        if (failed) throw new Error(`not run: the earlier step "${failed}" failed`);
        try {
          await fn();
        } catch (error) {
          failed = name;
          throw error;
        }
      },
      timeout,
    );
}

/** A screen with a ruler, for failure messages. */
export function frame(screen: string): string {
  return screen
    .split('\n')
    .map((l, i) => `${String(i).padStart(2)}|${l}`)
    .join('\n');
}

/**
 * The columns of the cells drawn in inverse video on one row of `capture-pane -e` output: where
 * the client draws its cursor. Counts one column per code point (the rows tested are ASCII and
 * box-drawing characters).
 */
export function inverseColumns(styledRow: string): number[] {
  const out: number[] = [];
  let inverse = false;
  let column = 0;
  const re = /\x1b\[([0-9;]*)m|\x1b[^[]|([\s\S])/gu;
  for (const m of styledRow.matchAll(re)) {
    if (m[1] !== undefined) {
      const params = m[1] === '' ? ['0'] : m[1].split(';');
      for (const p of params) {
        if (p === '0') inverse = false;
        else if (p === '7') inverse = true;
        else if (p === '27') inverse = false;
      }
    } else if (m[2] !== undefined) {
      if (inverse) out.push(column);
      column++;
    }
  }
  return out;
}

/** Writes a capture for the README when TUI_CHAT_SAVE_SCREENS names a folder. */
export function saveScreen(file: string, screen: string): void {
  const folder = process.env.TUI_CHAT_SAVE_SCREENS;
  if (!folder) return;
  fs.mkdirSync(folder, { recursive: true });
  fs.writeFileSync(path.join(folder, file), screen.replace(/[ \t]+$/gm, '').replace(/\n*$/, '\n'));
}
