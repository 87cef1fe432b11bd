/**
 * 3. Broadcast fan-out to 1,000 and 5,000 connected users, and 4. capacity: idle logged-in
 * connections, server memory per connection, connects per second.
 *
 * Both need thousands of logged-in users, so they share one ramp per target: connect 1,000
 * (broadcast to them), grow to 5,000 (broadcast), grow to 10,000 (memory). Run alone with
 * `--only broadcast` or `--only capacity`, the ramp stops where that scenario needs it.
 */
import { PASSWORD, Target, users, type Context, type Kind, type Row } from '../harness.js';
import { connect } from '../workers.js';
import type { ServerStats } from '../server-config.js';
import { median, merged, percentile, sleep } from '../stats.js';
import { fmt, forBoth, profiled, type Scenario } from './common.js';
import { capacityRows, fanoutRows, type CapacityFigures, type FanoutFigures } from './broadcast-rows.js';

interface RampFigures {
  fanout: FanoutFigures[];
  capacity: CapacityFigures | null;
  /** The planned connection count of the capacity step. */
  planned: number | null;
  /** Why the ramp stopped early, if it did. */
  error: string | null;
}

const SENDER = 'bsend';
const KiB = 1024;

async function broadcastTo(ctx: Context, target: Target, size: number, reps: number): Promise<FanoutFigures> {
  const listening = await ctx.workers.each('bcast-listen', () => ({ except: SENDER }));
  const total = listening.reduce((n, l) => n + l.listening, 0);
  if (total !== size) throw new Error(`expected ${size} listeners, have ${total}`);
  const lasts: number[] = [];
  const p50s: number[] = [];
  const acks: number[] = [];
  let receipts = 0;
  await profiled(ctx, target, `broadcast-${size}`, async () => {
    for (let id = 1; id <= reps; id++) {
      const waits = ctx.workers.peers.map((p, i) =>
        listening[i]!.listening === 0
          ? Promise.resolve({ id, latencies: new Float64Array(0) })
          : p.once<{ id: number; latencies: Float64Array }>('bcast-done', (d) => d.id === id, 120_000),
      );
      const sent = await ctx.workers.peers[0]!.call('bcast-send', { from: SENDER, id, textBytes: 100 });
      const done = await Promise.all(waits);
      const lat = merged(done.map((d) => d.latencies));
      receipts += lat.length;
      lasts.push(lat[lat.length - 1]!);
      p50s.push(percentile(lat, 50));
      acks.push(sent.ackMs);
      await sleep(ctx.options.tiny ? 10 : 150);
    }
  });
  ctx.log(`  ${target.kind}: broadcast to ${size}: last receipt per broadcast (ms): ${lasts.map((l) => fmt(l, 1)).join(', ')}`);
  return {
    size,
    lastMedian: median(lasts),
    lastWorst: Math.max(...lasts),
    p50Median: median(p50s),
    ackMedian: median(acks),
    reps,
    receipts,
  };
}

async function ramp(
  ctx: Context,
  target: Target,
  steps: number[],
  fanoutSizes: Set<number>,
  capacityAt: number | null,
  reps: number,
): Promise<RampFigures> {
  const all = users('cap', steps[steps.length - 1]!);
  await target.seed([SENDER, ...all], PASSWORD);
  const before: ServerStats = await target.gcStats();
  // The sender first, on worker 0; then the receivers in steps, spread over the workers.
  await connect(ctx, target, [[SENDER]], { seeded: true });
  let have = 0;
  let connectSeconds = 0;
  const out: RampFigures = { fanout: [], capacity: null, error: null, planned: capacityAt };
  let settleSeconds = 0;
  try {
    for (const step of steps) {
      const batch = all.slice(have, step);
      // Only the last step (the capacity count) has a time budget; the broadcast sizes must be reached.
      const last = capacityAt !== null && step === steps[steps.length - 1];
      const c = await profiled(ctx, target, `connect-${have}-${step}`, () =>
        connect(ctx, target, ctx.workers.split(batch), {
          seeded: true,
          concurrency: 16,
          spreadAddresses: true,
          budgetMs: last ? ctx.options.connectBudgetSeconds * 1000 : undefined,
          allowFailures: last,
        }),
      );
      connectSeconds += c.seconds;
      have += c.connected;
      const t = Date.now();
      await target.quiet();
      settleSeconds = (Date.now() - t) / 1000;
      const s = await target.gcStats();
      ctx.log(
        `  ${target.kind}: ${c.connected} more logged in (${have + 1} connections) in ${fmt(c.seconds, 1)} s (${fmt(c.perSecond, 0)}/s); ` +
          `loop settled ${fmt(settleSeconds, 1)} s later; RSS ${fmt(s.rss / 2 ** 20)} MiB = ${fmt((s.rss - before.rss) / (have + 1) / KiB, 1)} KiB per connection so far` +
          (c.skipped ? `; stopped by --connect-budget ${ctx.options.connectBudgetSeconds} s with ${c.skipped} not logged in` : '') +
          (c.failed ? `; ${c.failed} failed: ${c.firstError}` : ''),
      );
      if (fanoutSizes.has(step)) out.fanout.push(await broadcastTo(ctx, target, step, reps));
    }
  } catch (err) {
    out.error = err instanceof Error ? err.message : String(err);
    ctx.log(`  ${target.kind}: ramp stopped at ${have + 1} connections: ${out.error}`);
  }
  if (capacityAt !== null && have > 0) {
    const after = await target.gcStats();
    const n = have + 1;
    out.capacity = {
      connections: n,
      connectsPerSecond: have / connectSeconds,
      connectSeconds,
      rssPerConn: (after.rss - before.rss) / n,
      rssPerConnLessYoung: (after.rss - before.rss - (after.youngGeneration - before.youngGeneration)) / n,
      youngGrowth: after.youngGeneration - before.youngGeneration,
      heapPerConn: (after.heapUsed - before.heapUsed) / n,
      rssBefore: before.rss,
      rssAfter: after.rss,
      settleSeconds,
    };
    ctx.log(
      `  ${target.kind}: ${n} connections: RSS ${fmt(before.rss / 2 ** 20)} -> ${fmt(after.rss / 2 ** 20)} MiB = ${fmt(out.capacity.rssPerConn / KiB, 2)} KiB each ` +
        `(${fmt(out.capacity.rssPerConnLessYoung / KiB, 2)} less the young generation's growth of ${fmt(out.capacity.youngGrowth / 2 ** 20, 1)} MiB; ` +
        `JS heap ${fmt(out.capacity.heapPerConn / KiB, 2)} KiB each); ${fmt(out.capacity.connectsPerSecond, 0)} logins/s overall`,
    );
  }
  return out;
}

/** Sizes for this run: the broadcast steps and the capacity count. */
function plan(ctx: Context, wantFanout: boolean, wantCapacity: boolean) {
  const o = ctx.options;
  const fanout = o.tiny ? [5] : o.quick ? [1_000] : [1_000, 5_000];
  const capacity = o.tiny ? 10 : o.quick ? 1_000 : 10_000;
  const steps = new Set<number>();
  if (wantFanout) fanout.forEach((s) => steps.add(s));
  if (wantCapacity) steps.add(capacity);
  return {
    steps: [...steps].sort((a, b) => a - b),
    fanoutSizes: new Set(wantFanout ? fanout : []),
    capacityAt: wantCapacity ? capacity : null,
    reps: o.tiny ? 2 : o.quick ? 5 : 10,
  };
}

export function rampScenario(wantFanout: boolean, wantCapacity: boolean): Scenario {
  const name = wantFanout && wantCapacity ? 'broadcast+capacity' : wantFanout ? 'broadcast' : 'capacity';
  return {
    name,
    title:
      (wantFanout ? 'broadcast fan-out to 1,000 and 5,000 users: time until the last has it' : '') +
      (wantFanout && wantCapacity ? '; ' : '') +
      (wantCapacity ? 'capacity: idle logged-in connections, memory per connection, connects/s' : ''),
    async run(ctx: Context) {
      const p = plan(ctx, wantFanout, wantCapacity);
      const res = await forBoth(
        ctx,
        (kind: Kind) => Target.start(ctx, kind),
        name,
        (t) => ramp(ctx, t, p.steps, p.fanoutSizes, p.capacityAt, p.reps),
      );
      const rows: Row[] = [];
      res.chat.fanout.forEach((f, i) => rows.push(...fanoutRows(f, res.relay.fanout[i]!)));
      if (res.chat.capacity && res.relay.capacity && p.capacityAt !== null)
        rows.push(...capacityRows(p.capacityAt, res.chat.capacity, res.relay.capacity));
      const errors = [res.chat.error, res.relay.error].filter(Boolean);
      if (errors.length) throw Object.assign(new Error(`ramp stopped early: ${errors.join('; ')}`), { rows });
      return rows;
    },
  };
}

export const broadcastScenario = rampScenario(true, false);
export const capacityScenario = rampScenario(false, true);
