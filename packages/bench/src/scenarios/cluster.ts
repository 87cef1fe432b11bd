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
import { PASSWORD, users, type Context } from '../harness.js';
import { connect } from '../workers.js';
import type { ClusterServices } from '../cluster-services.js';
import { machineCpu, cpuBetween, processCpu, processesNamed } from '../cpu.js';
import { fmt, profiled, stopTarget, type Scenario } from './common.js';
import { clusterRows, pct, type Phase } from './cluster-rows.js';
import { startNodes, withClusterServices } from './cluster-nodes.js';
import { runThroughput, throughputPlan } from './throughput.js';
import { describeLatency, runRate } from './latency.js';

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
    return clusterRows(clusterPlan(ctx).throughput.window, pairCount, result.one, result.two, services, cleaned);
  },
};
