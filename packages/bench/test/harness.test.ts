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
import { findInspircd } from '../src/inspircd.js';

const root = fileURLToPath(new URL('../../..', import.meta.url));
const main = path.join(root, 'packages/bench/dist/main.js');

interface Row {
  name: string;
  metric: string;
  value: number;
  unit: string;
  baseline: number | null;
  ratio: number | null;
  detail?: Record<string, unknown>;
}

interface Report {
  machine: Record<string, unknown>;
  scenarios: Row[];
  errors: unknown[];
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

describe('bench harness (tiny run)', () => {
  let dir: string;
  let report: Report;
  let stdout: string;

  beforeAll(async () => {
    // `npm test` builds packages/cli; the harness runs from its own build.
    execFileSync(process.execPath, [path.join(root, 'node_modules/typescript/bin/tsc'), '-b', 'packages/bench'], {
      cwd: root,
      stdio: 'inherit',
    });
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tui-chat-bench-test-'));
    const json = path.join(dir, 'out.json');
    const result = await run(['--tiny', '--only', 'dm,broadcast,capacity,client', '--json', json]);
    stdout = result.stdout;
    if (result.code !== 0) throw new Error(`bench exited ${result.code}\n${result.stdout}\n${result.stderr}`);
    report = JSON.parse(fs.readFileSync(json, 'utf8')) as Report;
  }, 240_000);

  afterAll(() => {
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  const find = (name: string): Row => {
    const r = report.scenarios.find((s) => s.name === name);
    if (!r) throw new Error(`no row ${name} in ${report.scenarios.map((s) => s.name).join(', ')}`);
    return r;
  };

  test('the JSON describes the machine and has every field on every row', () => {
    for (const key of ['cpu', 'cores', 'memory', 'node', 'os']) expect(report.machine).toHaveProperty(key);
    expect(report.errors).toEqual([]);
    expect(report.scenarios.length).toBeGreaterThan(5);
    for (const r of report.scenarios) {
      expect(typeof r.name).toBe('string');
      expect(typeof r.metric).toBe('string');
      expect(typeof r.value).toBe('number');
      expect(typeof r.unit).toBe('string');
      expect(r).toHaveProperty('baseline');
      expect(r).toHaveProperty('ratio');
    }
  });

  test('every direct message was stored, acknowledged and delivered, on both targets', () => {
    const d = find('dm-throughput').detail!;
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
    const l = find('dm-latency-p50').detail!;
    expect(l.chatErrors).toBe(0);
    expect(l.chatDelivered).toBe(l.chatSent);
    expect(l.relayDelivered).toBe(l.relaySent);
    expect(Number(l.chatSent)).toBeGreaterThan(0);
    // The disk probe ran its fsyncs (tiny: 20) and reports a time for them.
    const disk = find('disk-fsync-p99');
    expect(disk.detail).toMatchObject({ samples: 20 });
    expect(disk.value).toBeGreaterThan(0);
    expect(Number(disk.detail!.max)).toBeGreaterThanOrEqual(disk.value);
  });

  test('the InspIRCd anchor: every message delivered on it when it is installed, one line saying so when it is not', () => {
    if (!findInspircd()) {
      process.stdout.write('skipped: inspircd is not installed, so the anchor rows are not checked (apt-get install inspircd)\n');
      expect(stdout).toMatch(/^ {2}InspIRCd: not installed \(Debian: apt-get install inspircd\), so its anchor rows are skipped$/m);
      expect(report.scenarios.some((r) => r.name.includes('inspircd'))).toBe(false);
      return;
    }
    expect(find('dm-throughput-inspircd').detail).toMatchObject({ ircSent: 40, ircDelivered: 40 });
    expect(find('dm-throughput-inspircd').baseline).toBe(find('dm-throughput').value);
    expect(find('dm-throughput-inspircd-per-cpu').value).toBeGreaterThan(0);
    const l = find('dm-latency-inspircd-p50').detail!;
    expect(l.ircDelivered).toBe(l.ircSent);
    expect(l.ircSamples).toBe(l.ircSent);
    expect(find('dm-latency-inspircd-p99').baseline).toBe(find('dm-latency-p99').value);
  });

  test('every broadcast reached every listener; every connection was counted', () => {
    const b = find('broadcast-5-last').detail!;
    expect(b).toMatchObject({ receivers: 5, reps: 2, chatReceipts: 10, relayReceipts: 10 });
    expect(find('capacity-11-rss').detail).toMatchObject({ connections: 11 });
    expect(find('capacity-11-connects').baseline).not.toBeNull();
  });

  test('the UI drew what arrived and what was typed', () => {
    expect(find('client-arrival-p50').detail).toMatchObject({ arrivalVisible: true, typedVisible: true });
    expect(find('client-memory').value).toBeGreaterThan(0);
  });

  test('the table is printed, with the raised limits said', () => {
    expect(stdout).toMatch(/rate limits RAISED/);
    expect(stdout).toMatch(/^scenario\s+value\s+unit\s+baseline\s+ratio/m);
    expect(stdout).toMatch(/dm-throughput/);
  });
});

/**
 * The cluster scenario's plumbing: one node, then two on one PostgreSQL database and Redis prefix
 * with each pair split across them. Needs PostgreSQL and Redis (as the server's cluster tests do:
 * a skip is a failure here, with the bench's sentence saying why). Counts and fields, never speed.
 */
describe('bench cluster scenario (tiny run)', () => {
  let dir: string;
  let report: Report & { skipped: { scenario: string; reason: string }[] };
  let stdout: string;

  beforeAll(async () => {
    execFileSync(process.execPath, [path.join(root, 'node_modules/typescript/bin/tsc'), '-b', 'packages/bench'], {
      cwd: root,
      stdio: 'inherit',
    });
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tui-chat-bench-test-'));
    const json = path.join(dir, 'cluster.json');
    const result = await run(['--tiny', '--only', 'cluster', '--json', json]);
    stdout = result.stdout;
    if (result.code !== 0) throw new Error(`bench exited ${result.code}\n${result.stdout}\n${result.stderr}`);
    report = JSON.parse(fs.readFileSync(json, 'utf8')) as typeof report;
    if (report.skipped.length) throw new Error(`the cluster scenario was skipped: ${report.skipped[0]!.reason}`);
  }, 120_000);

  afterAll(() => {
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  const find = (name: string): Row => {
    const r = report.scenarios.find((s) => s.name === name);
    if (!r) throw new Error(`no row ${name} in ${report.scenarios.map((s) => s.name).join(', ')}`);
    return r;
  };

  test('every message was stored, acknowledged and delivered, on one node and across two', () => {
    expect(report.errors).toEqual([]);
    const d = find('cluster-1node-throughput').detail!;
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
    const l = find('cluster-2node-latency-p50').detail!;
    expect(l).toMatchObject({ oneErrors: 0, twoErrors: 0 });
    expect(Number(l.oneSent)).toBeGreaterThan(0);
    expect(l.oneDelivered).toBe(l.oneSent);
    expect(Number(l.twoSent)).toBeGreaterThan(0);
    expect(l.twoDelivered).toBe(l.twoSent);
  });

  test('two nodes are compared with one', () => {
    const one = find('cluster-1node-throughput');
    const two = find('cluster-2node-throughput');
    expect(one.unit).toBe('msg/s');
    expect(one.value).toBeGreaterThan(0);
    expect(two.baseline).toBe(one.value);
    expect(two.ratio).toBeCloseTo(two.value / one.value, 6);
    for (const name of ['cluster-2node-per-cpu', 'cluster-2node-latency-p50', 'cluster-2node-latency-p99'])
      expect(find(name).baseline).not.toBeNull();
    expect(stdout).toMatch(/^cluster-2node-throughput\s/m);
  });

  test("the run's database is dropped and its Redis keys deleted", async () => {
    const d = find('cluster-1node-throughput').detail!;
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
    const json = path.join(dir, 'skipped.json');
    // Port 1: nothing listens there.
    const result = await run(['--tiny', '--only', 'cluster', '--pg', 'postgres://postgres@127.0.0.1:1/postgres', '--json', json]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(
      /^bench: cluster skipped: PostgreSQL does not answer at postgres:\/\/postgres@127\.0\.0\.1:1\/postgres \(connection refused\)/m,
    );
    expect(`${result.stdout}${result.stderr}`).not.toMatch(/^\s+at /m); // no stack trace
    const skipped = JSON.parse(fs.readFileSync(json, 'utf8')) as typeof report;
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
  let dir: string;
  let report: Report & { skipped: { scenario: string; reason: string }[] };

  beforeAll(async () => {
    execFileSync(process.execPath, [path.join(root, 'node_modules/typescript/bin/tsc'), '-b', 'packages/bench'], {
      cwd: root,
      stdio: 'inherit',
    });
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tui-chat-bench-test-'));
    const json = path.join(dir, 'failover.json');
    const result = await run(['--tiny', '--only', 'cluster-failover', '--json', json]);
    if (result.code !== 0) throw new Error(`bench exited ${result.code}\n${result.stdout}\n${result.stderr}`);
    report = JSON.parse(fs.readFileSync(json, 'utf8')) as typeof report;
    if (report.skipped.length) throw new Error(`the cluster-failover scenario was skipped: ${report.skipped[0]!.reason}`);
  }, 120_000);

  afterAll(() => {
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  test('every user came back after the kill, and the figures are compared with the planned move', () => {
    expect(report.errors).toEqual([]);
    // `--only cluster-failover` runs that scenario alone (and `--only cluster`, above, only cluster).
    expect(report.scenarios.map((r) => r.name)).toEqual(['cluster-failover-last', 'cluster-failover-p50', 'cluster-failover-rate']);
    const lastRow = report.scenarios[0]!;
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
    for (const r of report.scenarios) {
      expect(r.value).toBeGreaterThan(0);
      expect(r.baseline).toBeGreaterThan(0);
      expect(r.ratio).toBeCloseTo(r.value / r.baseline!, 6);
    }
  });
});

/**
 * The reader scenario's plumbing: a conversation of 500 large messages, the DM load without and
 * with one user reading its pages, on a server whose page-byte budget is the real one (8 MiB per
 * 10 s) while the other limits are raised. Counts and fields, never speed.
 */
describe('bench reader scenario (tiny run)', () => {
  let dir: string;
  let report: Report;

  beforeAll(async () => {
    execFileSync(process.execPath, [path.join(root, 'node_modules/typescript/bin/tsc'), '-b', 'packages/bench'], {
      cwd: root,
      stdio: 'inherit',
    });
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tui-chat-bench-test-'));
    const json = path.join(dir, 'reader.json');
    const result = await run(['--tiny', '--only', 'reader', '--json', json]);
    if (result.code !== 0) throw new Error(`bench exited ${result.code}\n${result.stdout}\n${result.stderr}`);
    report = JSON.parse(fs.readFileSync(json, 'utf8')) as Report;
  }, 120_000);

  afterAll(() => {
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  test('the load was delivered with and without the reader, which read pages within its budget', () => {
    expect(report.errors).toEqual([]);
    expect(report.scenarios.map((r) => r.name)).toEqual(['reader-dm-latency-p50', 'reader-dm-latency-p99']);
    const d = report.scenarios[1]!.detail!;
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
    for (const r of report.scenarios) {
      expect(r.value).toBeGreaterThan(0);
      expect(r.baseline).toBeGreaterThan(0);
      expect(r.ratio).toBeCloseTo(r.value / r.baseline!, 6);
    }
  });
});

/**
 * The reconnect scenario's plumbing: real ChatClients and the baseline's sockets, a server stopped
 * and started again twice on the same port and file. Counts and fields, never speed.
 */
describe('bench reconnect scenario (tiny run)', () => {
  let dir: string;
  let report: Report;

  beforeAll(async () => {
    execFileSync(process.execPath, [path.join(root, 'node_modules/typescript/bin/tsc'), '-b', 'packages/bench'], {
      cwd: root,
      stdio: 'inherit',
    });
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tui-chat-bench-test-'));
    const json = path.join(dir, 'reconnect.json');
    const result = await run(['--tiny', '--only', 'reconnect', '--json', json]);
    if (result.code !== 0) throw new Error(`bench exited ${result.code}\n${result.stdout}\n${result.stderr}`);
    report = JSON.parse(fs.readFileSync(json, 'utf8')) as Report;
  }, 180_000);

  afterAll(() => {
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  test('every client came back after each outage, on both schedules, and the rows compare them', () => {
    expect(report.errors).toEqual([]);
    const names = ['1s', '2s'].flatMap((o) => ['p50', 'p95', 'all'].map((p) => `reconnect-${o}-${p}`));
    expect(report.scenarios.map((r) => r.name)).toEqual(names);
    for (const name of ['reconnect-1s-p50', 'reconnect-2s-p50']) {
      const r = report.scenarios.find((x) => x.name === name)!;
      expect(r.detail).toMatchObject({ clients: 5, back: 5, notBack: 0, failed: 0, refusals: 0, guardRefused: 0, baselineBack: 5 });
    }
    for (const r of report.scenarios) {
      expect(r.value).toBeGreaterThan(0);
      expect(r.baseline).toBeGreaterThan(0);
      expect(r.ratio).toBeCloseTo(r.value / r.baseline!, 6);
    }
  });
});
