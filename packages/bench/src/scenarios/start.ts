/**
 * Cold start: how long `tui-chat --help` takes to print and exit, and `tui-chat connect` to draw
 * its login screen in a real pseudo-terminal (util-linux `script`), each against Node itself doing
 * the same nothing as the floor: `node -e ''` to exit, and a node that prints one word through the
 * same pseudo-terminal. Medians of several runs, one after another.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import type { Context } from '../harness.js';
import { percentile } from '../stats.js';
import { fmt, row, ScenarioSkipped, type Scenario } from './common.js';

/** The bin measured: this checkout's, or another build's (TUI_CHAT_BENCH_CLI=path/to/bin/tui-chat.js, e.g. before a change). */
const CLI = process.env.TUI_CHAT_BENCH_CLI || fileURLToPath(new URL('../../../cli/bin/tui-chat.js', import.meta.url));
/** What the login screen shows once drawn (the second field's label). */
const LOGIN_DRAWN = 'Password';

/** Seconds until the command exits (status 0 expected). */
function timeToExit(args: string[]): Promise<number> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve((performance.now() - t0) / 1000) : reject(new Error(`exit ${code}: ${err.trim()}`))));
  });
}

/** Seconds until `needle` shows on the command's terminal (a pty from `script`, 120x36); then it is killed. */
function timeToScreen(args: string[], needle: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const command = [process.execPath, ...args].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
    const t0 = performance.now();
    const child = spawn('script', ['-qfec', `stty cols 120 rows 36; exec ${command}`, '/dev/null'], {
      stdio: ['pipe', 'pipe', 'ignore'],
      env: { ...process.env, TERM: 'xterm-256color', NODE_ENV: 'production' },
    });
    let seen = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`"${needle}" did not show within 20 s; the screen held: ${JSON.stringify(seen.slice(-300))}`));
    }, 20_000);
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.stdout.on('data', (d: Buffer) => {
      // Escape sequences removed, so the needle is found however the screen was painted.
      seen += d.toString('utf8').replace(/\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(\x07|\x1b\\)/g, '');
      if (seen.includes(needle)) {
        clearTimeout(timer);
        resolve((performance.now() - t0) / 1000);
        child.kill('SIGKILL');
      }
    });
  });
}

async function medianOf(runs: number, measure: () => Promise<number>): Promise<{ median: number; max: number }> {
  const times = new Float64Array(runs);
  for (let i = 0; i < runs; i++) times[i] = await measure();
  times.sort();
  return { median: percentile(times, 50), max: percentile(times, 100) };
}

export const startScenario: Scenario = {
  name: 'start',
  title: 'cold start: `tui-chat --help` and `tui-chat connect` to its login screen, against bare node',
  async run(ctx: Context) {
    if (
      !(await timeToExit(['-e', '']).then(
        () => true,
        () => false,
      ))
    )
      throw new ScenarioSkipped('start: node itself would not run');
    const ok = await new Promise<boolean>((resolve) => {
      const probe = spawn('script', ['--version'], { stdio: 'ignore' });
      probe.on('error', () => resolve(false));
      probe.on('exit', (code) => resolve(code === 0));
    });
    if (!ok) throw new ScenarioSkipped('start: util-linux `script` is not installed, so there is no pseudo-terminal to draw in');
    const runs = ctx.options.tiny ? 1 : ctx.options.quick ? 3 : 7;
    // Nothing listens on port 9 (discard) on loopback: the login screen must not wait for a server.
    const address = '127.0.0.1:9';
    const floorExit = await medianOf(runs, () => timeToExit(['-e', '']));
    const help = await medianOf(runs, () => timeToExit([CLI, '--help']));
    const floorScreen = await medianOf(runs, () => timeToScreen(['-e', `process.stdout.write('${LOGIN_DRAWN}')`], LOGIN_DRAWN));
    const login = await medianOf(runs, () => timeToScreen([CLI, 'connect', address], LOGIN_DRAWN));
    ctx.log(`  start: --help ${fmt(help.median, 3)} s (worst ${fmt(help.max, 3)}), node -e '' ${fmt(floorExit.median, 3)} s`);
    ctx.log(
      `  start: login screen ${fmt(login.median, 3)} s (worst ${fmt(login.max, 3)}), node in the same pty ${fmt(floorScreen.median, 3)} s`,
    );
    return [
      row({
        name: 'start-help',
        metric: '`tui-chat --help` to exit (median)',
        value: help.median,
        unit: 's',
        baseline: floorExit.median,
        target: '<= 0.2 s',
        note: `baseline: node -e '' (${runs} runs each)`,
        detail: { runs, worst: help.max, floorWorst: floorExit.max },
      }),
      row({
        name: 'start-login-screen',
        metric: '`tui-chat connect` to its login screen (median)',
        value: login.median,
        unit: 's',
        baseline: floorScreen.median,
        target: '<= 0.5 s',
        note: `baseline: node printing a word in the same pseudo-terminal (${runs} runs each)`,
        detail: { runs, worst: login.max, floorWorst: floorScreen.max },
      }),
    ];
  },
};
