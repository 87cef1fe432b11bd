/**
 * 7. Cluster mode: direct-message throughput (and latency at a fixed rate) on PostgreSQL + Redis,
 * first against ONE chat node, then against TWO nodes on the same database and Redis prefix with
 * every pair split across them (pair i's sender on node i % 2, its recipient on the other), so
 * every message crosses the Redis adapter. Each node is its own server-child process; the load is
 * the dm scenarios' (same pairs, same window, same load generators). Baseline: one node.
 *
 * The run makes its own database and Redis key prefix and removes both at the end (also on an
 * error or Ctrl+C). Without PostgreSQL or Redis the scenario is skipped with one line saying why.
 */
import { performance } from 'node:perf_hooks';
import { PASSWORD, Target, users, type Context, type Row } from '../harness.js';
import { connect } from '../workers.js';
import { onInterrupt } from '../procs.js';
import { openClusterServices, redact, ServiceUnavailable, type Cleaned, type ClusterServices } from '../cluster-services.js';
import { machineCpu, cpuBetween, processCpu, processesNamed } from '../cpu.js';
import { fmt, profiled, row, ScenarioSkipped, stopTarget, type Scenario } from './common.js';
import { runThroughput, throughputPlan, type ThroughputFigures } from './throughput.js';
import { describeLatency, runRate, type LatencyFigures } from './latency.js';

export function clusterPlan(ctx: Context) {
  const o = ctx.options;
  return {
    // Quick: half the pairs, as most of its time is logging them in, twice.
    pairs: o.tiny ? 2 : o.quick ? 50 : 100,
    throughput: throughputPlan(ctx),
    latency: {
      // 100 pairs x 5/s = 500 msg/s: a quarter or less of what one node carries on 2 cores, so the
      // figure is the path across nodes rather than a queue.
      ratePerSender: 5,
      durationMs: o.tiny ? 1_000 : o.quick ? 1_000 : 5_000,
      warmupMs: o.tiny ? 0 : o.quick ? 200 : 1_000,
      textBytes: 100,
    },
  };
}

interface Phase {
  nodes: number;
  throughput: ThroughputFigures;
  latency: LatencyFigures;
  /** During the throughput measurement, in cores (1 = one core all the time): each node. */
  nodeCpu: number[];
  /** The same for the Redis server (INFO cpu), */
  redisCpu: number;
  /** the PostgreSQL server's processes (from /proc when it runs here; else null), */
  postgresCpu: number | null;
  /** the load-generator processes (null without /proc), */
  workersCpu: number | null;
  /** and the whole machine (every process, this run's or not). */
  machineCpu: number;
  cores: number;
  /** Per node: connections after every user logged in. */
  connections: number[];
}

const pct = (f: number) => `${fmt(f * 100, 0)}%`;

interface CpuMark {
  wall: number;
  machine: ReturnType<typeof machineCpu>;
  redis: number;
  postgres: Map<number, number> | null;
  workers: Map<number, number> | null;
}

/** CPU used so far by the machine, Redis, PostgreSQL (its processes, when it runs here) and the load generators. */
async function cpuMark(ctx: Context, services: ClusterServices, pgLocal: boolean): Promise<CpuMark> {
  const postgres = pgLocal ? processesNamed('postgres') : [];
  return {
    wall: performance.now(),
    machine: machineCpu(),
    redis: await services.redisCpuSeconds(),
    postgres: postgres.length ? processCpu(postgres) : null,
    workers: processCpu(ctx.workers.peers.map((p) => p.pid)),
  };
}

/** Describes a phase's CPU: who used how much of the machine. */
function cpuLine(p: Phase): string {
  const known = p.nodeCpu.reduce((a, b) => a + b, 0) + p.redisCpu + (p.postgresCpu ?? 0) + (p.workersCpu ?? 0);
  return (
    `CPU in % of one core: node${p.nodes > 1 ? 's' : ''} ${p.nodeCpu.map(pct).join(' + ')}, ` +
    (p.workersCpu !== null ? `load generators ${pct(p.workersCpu)}, ` : '') +
    (p.postgresCpu !== null ? `PostgreSQL ${pct(p.postgresCpu)}, ` : '') +
    `Redis ${pct(p.redisCpu)}; machine ${pct(p.machineCpu)} of ${p.cores * 100}% (everything else ${pct(Math.max(0, p.machineCpu - known))})`
  );
}

/**
 * Starts `count` nodes side by side on the run's database and Redis prefix (with `extra` cluster
 * options, e.g. a presence TTL); if one fails, stops those that started.
 */
export async function startNodes(
  ctx: Context,
  services: ClusterServices,
  count: number,
  extra: { presenceTtlMs?: number } = {},
): Promise<Target[]> {
  const config = { cluster: { db: services.dbUrl, redis: services.redisUrl, prefix: services.prefix, ...extra } };
  const started = await Promise.allSettled(Array.from({ length: count }, () => Target.start(ctx, 'chat', config)));
  const nodes = started.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
  const failed = started.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (failed) {
    await Promise.all(nodes.map((n) => n.stop()));
    throw failed.reason;
  }
  return nodes;
}

async function runPhase(
  ctx: Context,
  services: ClusterServices,
  nodeCount: 1 | 2,
  pairs: [string, string][],
  seed: boolean,
): Promise<Phase> {
  const plan = clusterPlan(ctx);
  const label = `cluster-${nodeCount}node`;
  const nodes = await startNodes(ctx, services, nodeCount);
  try {
    // Pair i: the sender on node i % 2, the recipient on the other (one node: everyone on it).
    const placement = new Map<string, number>();
    pairs.forEach(([from, to], i) => {
      placement.set(from, nodeCount === 1 ? 0 : i % 2);
      placement.set(to, nodeCount === 1 ? 0 : (i + 1) % 2);
    });
    // Seed once, on one node: the nodes share the database.
    if (seed) await nodes[0]!.seed(pairs.flat(), PASSWORD);
    // Each load worker holds both ends of its pairs (one clock), logged in to their nodes.
    const perWorker = ctx.workers.split(pairs).map((ps) => ps.flat());
    await Promise.all(
      nodes.map((node, k) =>
        connect(
          ctx,
          node,
          perWorker.map((set) => set.filter((u) => placement.get(u) === k)),
          { seeded: true },
        ),
      ),
    );
    const connections = await Promise.all(nodes.map(async (n) => (await n.stats()).connections));
    const who = nodeCount === 1 ? `${connections[0]} users` : `node 1 / node 2: ${connections.join(' / ')} users`;

    // Latency first, on a near-empty database (as in dm.ts).
    const latency = await runRate(ctx, nodes[0]!, ctx.workers.split(pairs), plan.latency);
    ctx.log(describeLatency(`${nodeCount} node${nodeCount > 1 ? 's' : ''}`, latency).replace(/; server loop.*$/, ''));
    if (latency.firstError) ctx.log(`  first error: ${latency.firstError}`);

    const t = plan.throughput;
    if (t.warmupMs > 0) await runThroughput(ctx, nodes[0]!, pairs, { window: t.window, durationMs: t.warmupMs, textBytes: t.textBytes });
    const others = nodes.slice(1);
    // PostgreSQL's processes are counted only when it runs on this machine.
    const pgLocal = /^postgres(ql)?:\/\/([^/@]*@)?(127\.|localhost|\[::1\])/.test(services.dbUrl);
    await Promise.all(others.map((n) => n.stats()));
    const before = await cpuMark(ctx, services, pgLocal);
    const throughput = await profiled(ctx, nodes[0]!, `${label}-throughput`, () =>
      runThroughput(ctx, nodes[0]!, pairs, { window: t.window, durationMs: t.durationMs, textBytes: t.textBytes, perSender: t.perSender }),
    );
    const after = await cpuMark(ctx, services, pgLocal);
    const otherStats = await Promise.all(others.map((n) => n.stats()));
    const wall = (after.wall - before.wall) / 1000;
    const per = (seconds: number | null) => (seconds === null ? null : seconds / wall);
    const phase: Phase = {
      nodes: nodeCount,
      throughput,
      latency,
      nodeCpu: [throughput.serverCpu, ...otherStats.map((s) => s.cpuSeconds / s.wallSeconds)],
      redisCpu: (after.redis - before.redis) / wall,
      postgresCpu: per(cpuBetween(before.postgres, after.postgres)),
      workersCpu: per(cpuBetween(before.workers, after.workers)),
      machineCpu:
        (after.machine.cores * (after.machine.busy - before.machine.busy)) / Math.max(1, after.machine.total - before.machine.total),
      cores: after.machine.cores,
      connections,
    };
    ctx.log(
      `  ${nodeCount} node${nodeCount > 1 ? 's' : ''} (${who}): ${fmt(throughput.perSecond, 0)} msg/s (${throughput.delivered} delivered, ${throughput.acked} acked, ` +
        `${throughput.errors} errors in ${fmt(throughput.seconds, 2)} s)` +
        (throughput.batches !== undefined
          ? `; node 1 wrote ${throughput.batches} batches, avg ${fmt(throughput.acked / nodeCount / Math.max(1, throughput.batches), 1)} msgs`
          : ''),
    );
    ctx.log(`    ${cpuLine(phase)}`);
    if (throughput.firstError) ctx.log(`  first error: ${throughput.firstError}`);
    return phase;
  } finally {
    await ctx.workers.closeAll().catch(() => undefined);
    await Promise.all(nodes.map((n, k) => stopTarget(ctx, n, `${label}/node${k + 1}`)));
  }
}

/** The run's own database and Redis prefix, and whether they were removed, for a row's JSON detail. */
export function servicesDetail(services: ClusterServices, cleaned: Cleaned | null) {
  return {
    database: services.dbName,
    redisPrefix: services.prefix,
    databaseDropped: cleaned?.dropped ?? false,
    redisKeysDeleted: cleaned?.keysDeleted ?? null,
  };
}

export function clusterRows(
  ctx: Context,
  pairCount: number,
  one: Phase,
  two: Phase,
  services: ClusterServices,
  cleaned: Cleaned | null,
): Row[] {
  const { window } = clusterPlan(ctx).throughput;
  const rate = two.latency.rate;
  const perCpu = (p: Phase) =>
    p.throughput.perSecond /
    Math.max(
      0.01,
      p.nodeCpu.reduce((a, b) => a + b, 0),
    );
  const side = (p: Phase) =>
    `CPU: node${p.nodes > 1 ? 's' : ''} ${p.nodeCpu.map(pct).join(' + ')}, PostgreSQL ${p.postgresCpu === null ? '?' : pct(p.postgresCpu)}, Redis ${pct(p.redisCpu)}, machine ${pct(p.machineCpu)} of ${p.cores * 100}%`;
  const detail = {
    pairs: pairCount,
    window,
    oneSent: one.throughput.sent,
    oneAcked: one.throughput.acked,
    oneDelivered: one.throughput.delivered,
    oneErrors: one.throughput.errors,
    oneConnections: one.connections[0]!,
    oneNodeCpu: one.nodeCpu[0]!,
    oneRedisCpu: one.redisCpu,
    onePostgresCpu: one.postgresCpu,
    oneWorkersCpu: one.workersCpu,
    oneMachineCpu: one.machineCpu,
    twoSent: two.throughput.sent,
    twoAcked: two.throughput.acked,
    twoDelivered: two.throughput.delivered,
    twoErrors: two.throughput.errors,
    twoNode1Connections: two.connections[0]!,
    twoNode2Connections: two.connections[1]!,
    twoNode1Cpu: two.nodeCpu[0]!,
    twoNode2Cpu: two.nodeCpu[1]!,
    twoRedisCpu: two.redisCpu,
    twoPostgresCpu: two.postgresCpu,
    twoWorkersCpu: two.workersCpu,
    twoMachineCpu: two.machineCpu,
    cores: two.cores,
    ...servicesDetail(services, cleaned),
  };
  const latencyDetail = {
    rate,
    oneSent: one.latency.sent,
    oneDelivered: one.latency.delivered,
    oneErrors: one.latency.errors,
    oneSamples: one.latency.samples,
    twoSent: two.latency.sent,
    twoDelivered: two.latency.delivered,
    twoErrors: two.latency.errors,
    twoSamples: two.latency.samples,
    twoAckP99: two.latency.ackP99,
  };
  return [
    row({
      name: 'cluster-1node-throughput',
      metric: `${pairCount} pairs, ${window} in flight each, one node on PostgreSQL+Redis, stored+delivered`,
      value: one.throughput.perSecond,
      unit: 'msg/s',
      baseline: null,
      note: `${side(one)}; ${one.throughput.errors} errors`,
      detail,
    }),
    row({
      name: 'cluster-2node-throughput',
      metric: 'the same pairs split over two nodes (sender on one, recipient on the other: every message crosses Redis); baseline one node',
      value: two.throughput.perSecond,
      unit: 'msg/s',
      baseline: one.throughput.perSecond,
      note: `${side(two)}; ${two.throughput.errors} errors`,
      detail,
    }),
    row({
      name: 'cluster-2node-per-cpu',
      metric: 'the same, per second of chat-node CPU (all nodes together); baseline one node',
      value: perCpu(two),
      unit: 'msg/CPU-s',
      baseline: perCpu(one),
    }),
    row({
      name: 'cluster-2node-latency-p50',
      metric: `p50 send->receipt across nodes at ${rate} msg/s; baseline one node`,
      value: two.latency.p50,
      unit: 'ms',
      baseline: one.latency.p50,
      detail: latencyDetail,
    }),
    row({
      name: 'cluster-2node-latency-p99',
      metric: `p99 send->receipt across nodes at ${rate} msg/s; baseline one node`,
      value: two.latency.p99,
      unit: 'ms',
      baseline: one.latency.p99,
      note: `ack p99 ${fmt(two.latency.ackP99, 2)} ms (one node ${fmt(one.latency.ackP99, 2)} ms)`,
    }),
  ];
}

/**
 * Opens PostgreSQL and Redis for a cluster scenario (ScenarioSkipped when either does not answer),
 * runs `body` on the run's own database and key prefix, and removes both afterwards: at the end,
 * on an error and on Ctrl+C.
 */
export async function withClusterServices<T>(
  ctx: Context,
  scenario: string,
  body: (services: ClusterServices) => Promise<T>,
): Promise<{ result: T; services: ClusterServices; cleaned: Cleaned | null }> {
  let services: ClusterServices;
  try {
    services = await openClusterServices(ctx.options.pgUrl, ctx.options.redisUrl);
  } catch (err) {
    if (err instanceof ServiceUnavailable) throw new ScenarioSkipped(err.message);
    throw err;
  }
  const off = onInterrupt(async () => {
    process.stderr.write(`bench: dropping the database ${services.dbName} and the Redis keys ${services.prefix}*\n`);
    await services.cleanup();
  });
  ctx.log(
    `  database ${services.dbName} on ${redact(ctx.options.pgUrl).replace(/\/[^/]*$/, '')}, Redis ${redact(services.redisUrl)} with key prefix ${services.prefix}`,
  );
  if (services.stale.databases || services.stale.keys) {
    ctx.log(`  removed what killed bench runs left: ${services.stale.databases} databases, ${services.stale.keys} Redis keys`);
  }
  let result: T;
  let cleaned: Cleaned | null = null;
  try {
    result = await body(services);
  } finally {
    try {
      cleaned = await services.cleanup();
      ctx.log(`  dropped ${cleaned.database}, deleted ${cleaned.keysDeleted} Redis keys under ${services.prefix}`);
    } catch (err) {
      process.stderr.write(`bench: ${scenario}: ${(err as Error).message}\n`);
    }
    off();
  }
  return { result, services, cleaned };
}

export const clusterScenario: Scenario = {
  name: 'cluster',
  title: 'PostgreSQL+Redis: DM throughput on one node, then on two with every pair split across them; cross-node latency at 500 msg/s',
  async run(ctx: Context) {
    const pairCount = clusterPlan(ctx).pairs;
    const names = users('cl', pairCount * 2);
    const pairs: [string, string][] = Array.from({ length: pairCount }, (_, i) => [names[2 * i]!, names[2 * i + 1]!]);
    const { result, services, cleaned } = await withClusterServices(ctx, 'cluster', async (services) => {
      const one = await runPhase(ctx, services, 1, pairs, true);
      const two = await runPhase(ctx, services, 2, pairs, false);
      return { one, two };
    });
    return clusterRows(ctx, pairCount, result.one, result.two, services, cleaned);
  },
};
