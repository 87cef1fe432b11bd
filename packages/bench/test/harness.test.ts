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
    execFileSync(process.execPath, [path.join(root, 'node_modules/typescript/bin/tsc'), '-b', 'packages/bench'], { cwd: root, stdio: 'inherit' });
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
