/** 2. Direct-message latency at a fixed rate: send -> recipient's receipt (see dm.ts). */
import type { FsyncFigures } from '../disk.js';
import type { Context, Row, Target } from '../harness.js';
import type { RateArgs, RateResult } from '../worker/rate.js';
import { merged, percentile } from '../stats.js';
import { fmt, profiled, row } from './common.js';

export interface LatencyFigures {
  p50: number;
  p99: number;
  max: number;
  ackP99: number;
  samples: number;
  sent: number;
  acked: number;
  delivered: number;
  errors: number;
  firstError: string | null;
  rate: number;
  serverElu: number;
  serverCpu: number;
  /** The server's event-loop delay during the run, p99 and max (ms). */
  loopDelay: { p99: number; max: number };
}

/** Runs `pairSets[i]` on worker i at a fixed rate per sender. */
export async function runRate(
  ctx: Context,
  target: Target,
  pairSets: [string, string][][],
  args: Omit<RateArgs, 'pairs'>,
): Promise<LatencyFigures> {
  const pairs = pairSets.flat();
  await target.stats();
  const results = await ctx.workers.each('rate', (i) => (pairSets[i]?.length ? { ...args, pairs: pairSets[i] } : null));
  const s = await target.stats();
  const lat = merged(results.map((r) => r.latencies));
  const ack = merged(results.map((r) => r.ackLatencies));
  const sum = (f: (r: RateResult) => number) => results.reduce((n, r) => n + f(r), 0);
  return {
    p50: percentile(lat, 50),
    p99: percentile(lat, 99),
    max: lat.length ? lat[lat.length - 1]! : NaN,
    ackP99: percentile(ack, 99),
    samples: lat.length,
    sent: sum((r) => r.sent),
    acked: sum((r) => r.acked),
    delivered: sum((r) => r.delivered),
    errors: sum((r) => r.errors),
    firstError: results.find((r) => r.firstError)?.firstError ?? null,
    rate: args.ratePerSender * pairs.length,
    serverElu: s.elu,
    serverCpu: s.cpuSeconds / s.wallSeconds,
    loopDelay: s.loopDelay,
  };
}

export function describeLatency(kind: string, f: LatencyFigures): string {
  return (
    `  ${kind}: p50 ${fmt(f.p50, 2)} ms, p99 ${fmt(f.p99, 2)} ms, max ${fmt(f.max, 2)} ms over ${f.samples} receipts ` +
    `(${f.delivered}/${f.sent} delivered, ack p99 ${fmt(f.ackP99, 2)} ms, ${f.errors} errors); server loop ${fmt(f.serverElu * 100, 0)}% busy (delay p99 ${fmt(f.loopDelay.p99, 1)} ms, max ${fmt(f.loopDelay.max, 1)}), on CPU ${fmt(f.serverCpu * 100, 0)}%`
  );
}

export function latencyPlan(ctx: Context) {
  const o = ctx.options;
  return {
    ratePerSender: 20, // 100 pairs x 20/s = 2,000 msg/s
    durationMs: o.tiny ? 1_000 : o.quick ? 1_500 : 10_000,
    warmupMs: o.tiny ? 0 : o.quick ? 300 : 1_000,
    textBytes: 100,
  };
}

export async function measureLatency(ctx: Context, target: Target, pairs: [string, string][]): Promise<LatencyFigures> {
  const f = await profiled(ctx, target, 'dm-latency', () => runRate(ctx, target, ctx.workers.split(pairs), latencyPlan(ctx)));
  ctx.log(describeLatency(target.kind, f));
  if (f.firstError) ctx.log(`  ${target.kind}: first error: ${f.firstError}`);
  return f;
}

export function latencyRows(chat: LatencyFigures, relay: LatencyFigures, disk: FsyncFigures): Row[] {
  const rate = chat.rate;
  const detail = {
    rate,
    chatSent: chat.sent,
    chatDelivered: chat.delivered,
    chatErrors: chat.errors,
    chatSamples: chat.samples,
    relaySent: relay.sent,
    relayDelivered: relay.delivered,
    chatAckP99: chat.ackP99,
    chatServerElu: chat.serverElu,
    chatServerCpu: chat.serverCpu,
  };
  const metric = (p: string) => `${p} send->receipt at ${rate} msg/s`;
  return [
    row({ name: 'dm-latency-p50', metric: metric('p50'), value: chat.p50, unit: 'ms', baseline: relay.p50, detail }),
    row({
      name: 'dm-latency-p99',
      metric: metric('p99'),
      value: chat.p99,
      unit: 'ms',
      baseline: relay.p99,
      target: '<= 10 ms',
      note: `ack p99 ${fmt(chat.ackP99, 2)} ms; server loop ${fmt(chat.serverElu * 100, 0)}% busy`,
    }),
    row({ name: 'dm-latency-max', metric: metric('max'), value: chat.max, unit: 'ms', baseline: relay.max }),
    row({
      name: 'disk-fsync-p99',
      metric: "p99 of one commit's disk cost here (append 8 KiB + fdatasync in the database's folder, no other load)",
      value: disk.p99,
      unit: 'ms',
      baseline: null,
      note: `p50 ${fmt(disk.p50, 2)} ms, max ${fmt(disk.max, 2)} ms; a message waits for up to two commits (the one in flight, then its own)`,
      detail: { p50: disk.p50, max: disk.max, samples: disk.samples },
    }),
  ];
}
