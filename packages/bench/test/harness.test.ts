/**
 * The benchmark harness's plumbing, in a tiny configuration: the chat server and the relay each
 * in their own process, load-generator processes, the Ink UI in another, the table and the JSON.
 * Asserts counts and shape only, never speed (benchmarks are not tests).
 */
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Row } from '../src/harness.js';
import { findInspircd } from '../src/inspircd.js';

const root = fileURLToPath(new URL('../../..', import.meta.url));
const main = path.join(root, 'packages/bench/dist/main.js');

/** The JSON the bench writes with --json (rows as src/harness.ts makes them). */
interface Report {
  machine: Record<string, unknown>;
  scenarios: Row[];
  errors: unknown[];
  /** Scenarios left out, each with the bench's sentence why (a service not answering). */
  skipped?: { scenario: string; reason: string }[];
}

function run(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [main, ...args], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

/** One tiny run of the bench for a describe block: its report, its output, its folder, its rows. */
interface TinyRun {
  readonly report: Report;
  readonly stdout: string;
  /** The run's temporary folder, removed after the block. */
  readonly dir: string;
  /** The row named `name`; a missing one fails naming the rows there are. */
  find(name: string): Row;
}

/**
 * Builds the bench (`npm test` builds packages/cli; the harness runs from its own build), then
 * runs `--tiny --only <only>` once before the block's tests and reads its JSON. `mustRun`: a
 * scenario that needs PostgreSQL and Redis fails when the bench skipped it (as the server's
 * cluster tests do), with the bench's sentence saying why.
 */
function tinyRun(only: string, timeoutMs: number, mustRun = false): TinyRun {
  const got: { report: Report | null; stdout: string; dir: string } = { report: null, stdout: '', dir: '' };
  beforeAll(async () => {
    execFileSync(process.execPath, [path.join(root, 'node_modules/typescript/bin/tsc'), '-b', 'packages/bench'], {
      cwd: root,
      stdio: 'inherit',
    });
    got.dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tui-chat-bench-test-'));
    const json = path.join(got.dir, 'report.json');
    const result = await run(['--tiny', '--only', only, '--json', json]);
    got.stdout = result.stdout;
    if (result.code !== 0) throw new Error(`bench exited ${result.code}\n${result.stdout}\n${result.stderr}`);
    const report = JSON.parse(fs.readFileSync(json, 'utf8')) as Report;
    got.report = report;
    const skipped = report.skipped ?? [];
    if (mustRun && skipped.length) throw new Error(`the ${only} scenario was skipped: ${skipped[0]!.reason}`);
  }, timeoutMs);
  afterAll(() => {
    if (got.dir) fs.rmSync(got.dir, { recursive: true, force: true });
  });
  return {
    get report() {
      if (!got.report) throw new Error('the tiny run has not finished');
      return got.report;
    },
    get stdout() {
      return got.stdout;
    },
    get dir() {
      return got.dir;
    },
    find(name) {
      const r = this.report.scenarios.find((s) => s.name === name);
      if (!r) throw new Error(`no row ${name} in ${this.report.scenarios.map((s) => s.name).join(', ')}`);
      return r;
    },
  };
}

/** Every row has a figure, a baseline, and their ratio. */
function expectCompared(report: Report): void {
  for (const r of report.scenarios) {
    expect(r.value).toBeGreaterThan(0);
    expect(r.baseline).toBeGreaterThan(0);
    expect(r.ratio).toBeCloseTo(r.value / r.baseline!, 6);
  }
}

describe('bench harness (tiny run)', () => {
  const tiny = tinyRun('dm,broadcast,capacity,client', 240_000);

  test('the JSON describes the machine and has every field on every row', () => {
    for (const key of ['cpu', 'cores', 'memory', 'node', 'os']) expect(tiny.report.machine).toHaveProperty(key);
    expect(tiny.report.errors).toEqual([]);
    expect(tiny.report.scenarios.length).toBeGreaterThan(5);
    for (const r of tiny.report.scenarios) {
      expect(typeof r.name).toBe('string');
      expect(typeof r.metric).toBe('string');
      expect(typeof r.value).toBe('number');
      expect(typeof r.unit).toBe('string');
      expect(r).toHaveProperty('baseline');
      expect(r).toHaveProperty('ratio');
    }
  });

  test('every direct message was stored, acknowledged and delivered, on both targets', () => {
    const d = tiny.find('dm-throughput').detail!;
    expect(d).toMatchObject({
      pairs: 2,
      chatSent: 40,
      chatAcked: 40,
      chatDelivered: 40,
      chatErrors: 0,
      relaySent: 40,
      relayAcked: 40,
      relayDelivered: 40,
      relayErrors: 0,
    });
    const l = tiny.find('dm-latency-p50').detail!;
    expect(l.chatErrors).toBe(0);
    expect(l.chatDelivered).toBe(l.chatSent);
    expect(l.relayDelivered).toBe(l.relaySent);
    expect(Number(l.chatSent)).toBeGreaterThan(0);
    // The disk probe ran its fsyncs (tiny: 20) and reports a time for them.
    const disk = tiny.find('disk-fsync-p99');
    expect(disk.detail).toMatchObject({ samples: 20 });
    expect(disk.value).toBeGreaterThan(0);
    expect(Number(disk.detail!.max)).toBeGreaterThanOrEqual(disk.value);
  });

  test('the InspIRCd anchor: every message delivered on it when it is installed, one line saying so when it is not', () => {
    if (!findInspircd()) {
      process.stdout.write('skipped: inspircd is not installed, so the anchor rows are not checked (apt-get install inspircd)\n');
      expect(tiny.stdout).toMatch(/^ {2}InspIRCd: not installed \(Debian: apt-get install inspircd\), so its anchor rows are skipped$/m);
      expect(tiny.report.scenarios.some((r) => r.name.includes('inspircd'))).toBe(false);
      return;
    }
    expect(tiny.find('dm-throughput-inspircd').detail).toMatchObject({ ircSent: 40, ircDelivered: 40 });
    expect(tiny.find('dm-throughput-inspircd').baseline).toBe(tiny.find('dm-throughput').value);
    expect(tiny.find('dm-throughput-inspircd-per-cpu').value).toBeGreaterThan(0);
    const l = tiny.find('dm-latency-inspircd-p50').detail!;
    expect(l.ircDelivered).toBe(l.ircSent);
    expect(l.ircSamples).toBe(l.ircSent);
    expect(tiny.find('dm-latency-inspircd-p99').baseline).toBe(tiny.find('dm-latency-p99').value);
  });

  test('every broadcast reached every listener; every connection was counted', () => {
    const b = tiny.find('broadcast-5-last').detail!;
    expect(b).toMatchObject({ receivers: 5, reps: 2, chatReceipts: 10, relayReceipts: 10 });
    expect(tiny.find('capacity-11-rss').detail).toMatchObject({ connections: 11 });
    expect(tiny.find('capacity-11-connects').baseline).not.toBeNull();
    // The per-connection row is the whole growth less the young generation's, which is a fixed cost.
    const perConn = tiny.find('capacity-11-rss-per-conn');
    expect(perConn.target).toBe('<= 20 KiB each');
    const { chatConnections, chatYoungGrowth } = perConn.detail as { chatConnections: number; chatYoungGrowth: number };
    expect((tiny.find('capacity-11-rss').value - perConn.value) * 1024 * chatConnections).toBeCloseTo(chatYoungGrowth, 0);
  });

  test('the UI drew what arrived and what was typed', () => {
    expect(tiny.find('client-arrival-p50').detail).toMatchObject({ arrivalVisible: true, typedVisible: true });
    expect(tiny.find('client-memory').value).toBeGreaterThan(0);
    // A keystroke changes a row or two: the frame writer sends those, not Ink's whole frame.
    const keyBytes = tiny.find('client-key-bytes');
    expect(keyBytes.value).toBeGreaterThan(0);
    expect(keyBytes.value).toBeLessThan(keyBytes.baseline! / 4);
  });

  test('the table is printed, with the raised limits said', () => {
    expect(tiny.stdout).toMatch(/rate limits RAISED/);
    expect(tiny.stdout).toMatch(/^scenario\s+value\s+unit\s+baseline\s+ratio/m);
    expect(tiny.stdout).toMatch(/dm-throughput/);
  });
});

/**
 * The cluster scenario's plumbing: one node, then two on one PostgreSQL database and Redis prefix
 * with each pair split across them. Needs PostgreSQL and Redis (as the server's cluster tests do:
 * a skip is a failure here, with the bench's sentence saying why). Counts and fields, never speed.
 */
describe('bench cluster scenario (tiny run)', () => {
  const tiny = tinyRun('cluster', 120_000, true);

  test('every message was stored, acknowledged and delivered, on one node and across two', () => {
    expect(tiny.report.errors).toEqual([]);
    const d = tiny.find('cluster-1node-throughput').detail!;
    expect(d).toMatchObject({
      pairs: 2,
      oneSent: 40,
      oneAcked: 40,
      oneDelivered: 40,
      oneErrors: 0,
      oneConnections: 4,
      twoSent: 40,
      twoAcked: 40,
      twoDelivered: 40,
      twoErrors: 0,
      // Each pair split: one end on each node.
      twoNode1Connections: 2,
      twoNode2Connections: 2,
      cores: expect.any(Number),
    });
    for (const key of ['oneNodeCpu', 'twoNode1Cpu', 'twoNode2Cpu', 'oneRedisCpu', 'twoRedisCpu', 'oneMachineCpu', 'twoMachineCpu']) {
      expect(typeof d[key]).toBe('number');
    }
    const l = tiny.find('cluster-2node-latency-p50').detail!;
    expect(l).toMatchObject({ oneErrors: 0, twoErrors: 0 });
    expect(Number(l.oneSent)).toBeGreaterThan(0);
    expect(l.oneDelivered).toBe(l.oneSent);
    expect(Number(l.twoSent)).toBeGreaterThan(0);
    expect(l.twoDelivered).toBe(l.twoSent);
  });

  test('two nodes are compared with one', () => {
    const one = tiny.find('cluster-1node-throughput');
    const two = tiny.find('cluster-2node-throughput');
    expect(one.unit).toBe('msg/s');
    expect(one.value).toBeGreaterThan(0);
    expect(two.baseline).toBe(one.value);
    expect(two.ratio).toBeCloseTo(two.value / one.value, 6);
    for (const name of ['cluster-2node-per-cpu', 'cluster-2node-latency-p50', 'cluster-2node-latency-p99'])
      expect(tiny.find(name).baseline).not.toBeNull();
    expect(tiny.stdout).toMatch(/^cluster-2node-throughput\s/m);
  });

  test("the run's database is dropped and its Redis keys deleted", async () => {
    const d = tiny.find('cluster-1node-throughput').detail!;
    expect(d).toMatchObject({ databaseDropped: true });
    const { default: pg } = await import('pg');
    const { Redis } = await import('ioredis');
    const c = new pg.Client({ connectionString: process.env.TUI_CHAT_BENCH_PG || 'postgres://postgres@127.0.0.1:5432/postgres' });
    await c.connect();
    try {
      expect((await c.query('SELECT 1 FROM pg_database WHERE datname = $1', [d.database])).rowCount).toBe(0);
    } finally {
      await c.end();
    }
    const redis = new Redis(process.env.TUI_CHAT_BENCH_REDIS || 'redis://127.0.0.1:6379', { maxRetriesPerRequest: 1 });
    try {
      const keys: string[] = [];
      let cursor = '0';
      do {
        const [next, batch] = await redis.scan(cursor, 'MATCH', `${String(d.redisPrefix)}*`, 'COUNT', 1000);
        cursor = next;
        keys.push(...batch);
      } while (cursor !== '0');
      expect(keys).toEqual([]);
    } finally {
      redis.disconnect();
    }
  });

  test('without PostgreSQL the scenario is skipped with one line, and the run succeeds', async () => {
    const json = path.join(tiny.dir, 'skipped.json');
    // Port 1: nothing listens there.
    const result = await run(['--tiny', '--only', 'cluster', '--pg', 'postgres://postgres@127.0.0.1:1/postgres', '--json', json]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(
      /^bench: cluster skipped: PostgreSQL does not answer at postgres:\/\/postgres@127\.0\.0\.1:1\/postgres \(connection refused\)/m,
    );
    expect(`${result.stdout}${result.stderr}`).not.toMatch(/^\s+at /m); // no stack trace
    const skipped = JSON.parse(fs.readFileSync(json, 'utf8')) as Report;
    expect(skipped.skipped).toEqual([{ scenario: 'cluster', reason: expect.stringMatching(/^PostgreSQL does not answer/) }]);
    expect(skipped.errors).toEqual([]);
    expect(skipped.scenarios).toEqual([]);
  }, 60_000);
});

/**
 * The cluster-failover scenario's plumbing (10 users): a planned move, then node 1 killed with
 * SIGKILL and every user back on node 2 with its token. Needs PostgreSQL and Redis, as above.
 */
describe('bench cluster-failover scenario (tiny run)', () => {
  const tiny = tinyRun('cluster-failover', 120_000, true);

  test('every user came back after the kill, and the figures are compared with the planned move', () => {
    expect(tiny.report.errors).toEqual([]);
    // `--only cluster-failover` runs that scenario alone (and `--only cluster`, above, only cluster).
    expect(tiny.report.scenarios.map((r) => r.name)).toEqual(['cluster-failover-last', 'cluster-failover-p50', 'cluster-failover-rate']);
    const lastRow = tiny.report.scenarios[0]!;
    expect(lastRow.detail).toMatchObject({
      users: 10,
      plannedBack: 10,
      plannedFailed: 0,
      armed: 10,
      back: 10,
      notBack: 0,
      failed: 0,
      node2Connections: 10,
      databaseDropped: true,
    });
    expectCompared(tiny.report);
  });
});

/**
 * The reader scenario's plumbing: a conversation of 500 large messages, the DM load without and
 * with one user reading its pages, on a server whose page-byte budget is the real one (8 MiB per
 * 10 s) while the other limits are raised. Counts and fields, never speed.
 */
describe('bench reader scenario (tiny run)', () => {
  const tiny = tinyRun('reader', 120_000);

  test('the load was delivered with and without the reader, which read pages within its budget', () => {
    expect(tiny.report.errors).toEqual([]);
    expect(tiny.report.scenarios.map((r) => r.name)).toEqual(['reader-dm-latency-p50', 'reader-dm-latency-p99']);
    const d = tiny.report.scenarios[1]!.detail!;
    expect(d).toMatchObject({
      fillMessages: 500,
      readBytesPerWindow: 8 * 1024 * 1024,
      windowSeconds: 10,
      withErrors: 0,
      withoutErrors: 0,
      againErrors: 0,
      readerErrors: 0,
    });
    expect(Number(d.withSent)).toBeGreaterThan(0);
    expect(d.withDelivered).toBe(d.withSent);
    expect(d.withoutDelivered).toBe(d.withoutSent);
    expect(Number(d.readerPages)).toBeGreaterThan(0);
    // One budget window at most (the tiny run reads for 1 s): 8 MiB, plus the page that crossed it.
    expect(Number(d.readerBytes)).toBeGreaterThan(0);
    expect(Number(d.readerBytes)).toBeLessThan(8 * 1024 * 1024 + 512 * 1024);
    expectCompared(tiny.report);
  });
});

/**
 * The reconnect scenario's plumbing: real ChatClients and the baseline's sockets, a server stopped
 * and started again twice on the same port and file. Counts and fields, never speed.
 */
describe('bench reconnect scenario (tiny run)', () => {
  const tiny = tinyRun('reconnect', 180_000);

  test('every client came back after each outage, on both schedules, and the rows compare them', () => {
    expect(tiny.report.errors).toEqual([]);
    const names = ['1s', '2s'].flatMap((o) => ['p50', 'p95', 'all'].map((p) => `reconnect-${o}-${p}`));
    expect(tiny.report.scenarios.map((r) => r.name)).toEqual(names);
    for (const name of ['reconnect-1s-p50', 'reconnect-2s-p50']) {
      const r = tiny.report.scenarios.find((x) => x.name === name)!;
      expect(r.detail).toMatchObject({ clients: 5, back: 5, notBack: 0, failed: 0, refusals: 0, guardRefused: 0, baselineBack: 5 });
    }
    expectCompared(tiny.report);
  });
});
