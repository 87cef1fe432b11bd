/**
 * `npm run bench [-- --quick] [--json FILE] [--only NAME] [--profile]`
 *
 * Runs the benchmark scenarios against the tui-chat server and, as the baseline, a raw `ws`
 * relay driven by the same load in the same run; prints a table and optionally writes JSON.
 * The server runs in its own process, the simulated users in load-generator processes.
 * It measures and prints; it never fails on speed.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Context, Row } from './harness.js';
import { parseArgs, USAGE } from './options.js';
import { Workers } from './workers.js';
import { machineInfo } from './machine.js';
import { killAll, makeRunDir, wasInterrupted } from './procs.js';
import { RAISED_LIMITS } from './server-config.js';
import { ScenarioSkipped, type Scenario } from './scenarios/common.js';
import { dmScenario, latencyScenario, throughputScenario } from './scenarios/dm.js';
import { broadcastScenario, capacityScenario, rampScenario } from './scenarios/broadcast.js';
import { loginScenario } from './scenarios/login.js';
import { readerScenario } from './scenarios/reader.js';
import { clientScenario } from './scenarios/client.js';
import { clusterScenario } from './scenarios/cluster.js';
import { clusterFailoverScenario } from './scenarios/cluster-failover.js';
import { startScenario } from './scenarios/start.js';
import { reconnectScenario } from './scenarios/reconnect.js';
import { groupScenario } from './scenarios/group.js';
import { searchScenario } from './scenarios/search.js';
import { formatTable } from './table.js';

export const SCENARIOS: readonly Scenario[] = [
  throughputScenario,
  latencyScenario,
  broadcastScenario,
  capacityScenario,
  loginScenario,
  readerScenario,
  clientScenario,
  clusterScenario,
  clusterFailoverScenario,
  startScenario,
  reconnectScenario,
  groupScenario,
  searchScenario,
];

/**
 * The scenarios to run, in the usual order; broadcast and capacity share one ramp of connections.
 * A name picks the scenario of exactly that name (`cluster` is not `cluster-failover`), else every
 * scenario it begins (`dm`: dm-throughput and dm-latency).
 */
function pick(only: string[]): Scenario[] {
  const matches = (s: Scenario, name: string) => s.name === name || (!SCENARIOS.some((t) => t.name === name) && s.name.startsWith(name));
  const chosen = only.length === 0 ? [...SCENARIOS] : SCENARIOS.filter((s) => only.some((name) => matches(s, name)));
  const unknown = only.filter((name) => !SCENARIOS.some((s) => s.name === name || s.name.startsWith(name)));
  if (unknown.length) throw new Error(`no scenario ${unknown.join(', ')}; try --list`);
  const ramp = chosen.includes(broadcastScenario) && chosen.includes(capacityScenario);
  const dm = chosen.includes(throughputScenario) && chosen.includes(latencyScenario);
  return chosen
    .filter((s) => !(ramp && s === capacityScenario) && !(dm && s === latencyScenario))
    .map((s) => (ramp && s === broadcastScenario ? rampScenario(true, true) : dm && s === throughputScenario ? dmScenario(true, true) : s));
}

export async function main(argv: string[]): Promise<number> {
  let options: ReturnType<typeof parseArgs>;
  try {
    options = parseArgs(argv);
  } catch (err) {
    process.stderr.write(`bench: ${(err as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (options.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  if (options.list) {
    const width = Math.max(14, ...SCENARIOS.map((s) => s.name.length));
    for (const s of SCENARIOS) process.stdout.write(`${s.name.padEnd(width)} ${s.title}\n`);
    return 0;
  }
  let scenarios: Scenario[];
  try {
    scenarios = pick(options.only);
  } catch (err) {
    process.stderr.write(`bench: ${(err as Error).message}\n`);
    return 2;
  }
  if ((options.profile || options.cpuProf) && !options.profileDir)
    options.profileDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tui-chat-bench-prof-'));
  if (options.profileDir) fs.mkdirSync(options.profileDir, { recursive: true });

  const started = performance.now();
  const machine = machineInfo();
  const log = (line: string) => {
    if (options.verbose) process.stdout.write(`${line}\n`);
  };
  const mode = options.tiny ? 'tiny' : options.quick ? 'quick' : 'full';
  log(`tui-chat bench (${mode}) on ${machine.cpu}, ${machine.cores} cores, ${machine.memory}, node ${machine.node}, ${machine.os}`);
  log(
    `server: @tui-chat/server in its own process, temporary SQLite file (WAL, synchronous=FULL), password hashing at the tests' cost except the login scenario (Argon2id m=19 MiB, t=2, p=1); ` +
      `rate limits RAISED so they do not cap the load: ${JSON.stringify(RAISED_LIMITS)}`,
  );
  if (options.serverModule) log(`server build measured: ${options.serverModule}`);
  if (options.clientDist) log(`client build measured: ${options.clientDist}`);
  log(
    `baseline: a minimal relay on raw ws (no auth, no storage), same load; load: ${options.workers} load-generator processes; open files limit ${machine.nofile}`,
  );
  if (machine.cores <= 2)
    log(`note: ${machine.cores} cores shared by the server, the load generators and anything else running: figures are noisy`);

  makeRunDir();
  const workers = await Workers.start(options.workers);
  const ctx: Context = { options, workers, log, profiles: [] };
  const rows: Row[] = [];
  const errors: { scenario: string; error: string }[] = [];
  const skipped: { scenario: string; reason: string }[] = [];
  const timings: Record<string, number> = {};
  for (const s of scenarios) {
    const t = performance.now();
    log(`\n== ${s.name}: ${s.title}`);
    try {
      rows.push(...(await s.run(ctx)));
    } catch (err) {
      // Ctrl+C: the signal handler cleans up and ends the process; report nothing more.
      if (wasInterrupted()) return new Promise<number>(() => undefined);
      if (err instanceof ScenarioSkipped) {
        // A service the scenario needs is not there: one line, and the run goes on.
        skipped.push({ scenario: s.name, reason: err.message });
        process.stdout.write(`bench: ${s.name} skipped: ${err.message}\n`);
      } else {
        const partial = (err as { rows?: Row[] }).rows;
        if (partial) rows.push(...partial);
        const text = err instanceof Error ? (err.stack ?? err.message) : String(err);
        errors.push({ scenario: s.name, error: text });
        process.stderr.write(`bench: ${s.name} failed: ${text}\n`);
        await workers.closeAll().catch(() => undefined);
      }
    }
    timings[s.name] = (performance.now() - t) / 1000;
    log(`   (${timings[s.name]!.toFixed(1)} s)`);
  }
  await workers.stop();
  const seconds = (performance.now() - started) / 1000;

  process.stdout.write(`\n${formatTable(rows)}\n`);
  process.stdout.write(
    `\n${mode} run: ${seconds.toFixed(1)} s on ${machine.cpu} (${machine.cores} cores, ${machine.memory}), node ${machine.node}; ` +
      `rate limits were raised for the run. Ratio = value / baseline (relay unless noted). Targets are printed, not enforced.\n`,
  );
  if (skipped.length) process.stdout.write(`skipped scenarios: ${skipped.map((e) => `${e.scenario} (${e.reason})`).join('; ')}\n`);
  if (errors.length) process.stdout.write(`failed scenarios: ${errors.map((e) => e.scenario).join(', ')}\n`);
  if (options.json) {
    const out = {
      machine,
      mode,
      serverModule: options.serverModule ?? '@tui-chat/server (workspace build)',
      startedAt: new Date(Date.now() - seconds * 1000).toISOString(),
      durationSeconds: seconds,
      scenarioSeconds: timings,
      limits: { raised: true, ...RAISED_LIMITS },
      scenarios: rows,
      errors,
      skipped,
    };
    fs.mkdirSync(path.dirname(path.resolve(options.json)), { recursive: true });
    fs.writeFileSync(options.json, `${JSON.stringify(out, null, 2)}\n`);
    process.stdout.write(`wrote ${options.json}\n`);
  }
  return errors.length ? 1 : 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    killAll();
    process.exit(code);
  },
  (err: unknown) => {
    process.stderr.write(`bench: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    killAll();
    process.exit(1);
  },
);
