/** 1. Direct-message throughput: many pairs sending as fast as acknowledgements allow (see dm.ts). */
import type { Context, Row, Target } from '../harness.js';
import type { ThroughputArgs, ThroughputResult } from '../worker/throughput.js';
import { fmt, profiled, row } from './common.js';

export interface ThroughputFigures {
  perSecond: number;
  sent: number;
  acked: number;
  delivered: number;
  errors: number;
  firstError: string | null;
  seconds: number;
  serverElu: number;
  serverCpu: number;
  batches?: number;
  largestBatch?: number;
}

export async function runThroughput(
  ctx: Context,
  target: Target,
  pairs: [string, string][],
  args: Omit<ThroughputArgs, 'pairs'>,
): Promise<ThroughputFigures> {
  const split = ctx.workers.split(pairs);
  await target.stats();
  const before = (await target.stats()).writer;
  const results = await ctx.workers.each('throughput', (i) => (split[i]!.length ? { ...args, pairs: split[i] } : null));
  const s = await target.stats();
  const sum = (f: (r: ThroughputResult) => number) => results.reduce((n, r) => n + f(r), 0);
  const start = Math.min(...results.map((r) => r.start));
  const end = Math.max(...results.map((r) => r.end));
  const seconds = (end - start) / 1000;
  const acked = sum((r) => r.acked);
  const delivered = sum((r) => r.delivered);
  return {
    perSecond: Math.min(acked, delivered) / seconds,
    sent: sum((r) => r.sent),
    acked,
    delivered,
    errors: sum((r) => r.errors),
    firstError: results.find((r) => r.firstError)?.firstError ?? null,
    seconds,
    serverElu: s.elu,
    serverCpu: s.cpuSeconds / s.wallSeconds,
    batches: s.writer && before ? s.writer.batches - before.batches : undefined,
    largestBatch: s.writer?.largestBatch,
  };
}

/**
 * Messages each sender keeps unacknowledged. The client has no such cap (it sends what is typed
 * or pasted at once); the load needs one large enough that the server, not the commit's round
 * trip, is what limits: at 8 the server's event loop sat 25-30% idle, at 32 it is ~90% busy.
 * Full runs also measure 8 (`dm-throughput-window8`), the figure of the earlier runs.
 */
export const THROUGHPUT_WINDOW = 32;
export const SMALL_WINDOW = 8;

export function throughputPlan(ctx: Context) {
  const o = ctx.options;
  return {
    window: o.tiny ? 4 : THROUGHPUT_WINDOW,
    durationMs: o.tiny ? 60_000 : o.quick ? 1_500 : 10_000,
    warmupMs: o.tiny ? 0 : o.quick ? 300 : 1_000,
    perSender: o.tiny ? 20 : undefined,
    textBytes: 100,
  };
}

/** Warms up, then measures; logs a line. */
export async function measureThroughput(
  ctx: Context,
  target: Target,
  pairs: [string, string][],
  window = throughputPlan(ctx).window,
): Promise<ThroughputFigures> {
  const p = throughputPlan(ctx);
  if (p.warmupMs > 0) await runThroughput(ctx, target, pairs, { window, durationMs: p.warmupMs, textBytes: p.textBytes });
  const label = window === p.window ? 'dm-throughput' : `dm-throughput-window${window}`;
  const f = await profiled(ctx, target, label, () =>
    runThroughput(ctx, target, pairs, { window, durationMs: p.durationMs, textBytes: p.textBytes, perSender: p.perSender }),
  );
  ctx.log(
    `  ${target.kind}${window === p.window ? '' : ` (${window} in flight)`}: ${fmt(f.perSecond, 0)} msg/s (${f.delivered} delivered, ${f.acked} acked, ${f.errors} errors in ${fmt(f.seconds, 2)} s); ` +
      `server event loop ${fmt(f.serverElu * 100, 0)}% busy, on CPU ${fmt(f.serverCpu * 100, 0)}% of the time (${fmt(perCpu(f), 0)} msg per server CPU-second)` +
      (f.batches !== undefined
        ? `; ${f.batches} write batches, avg ${fmt(f.acked / Math.max(1, f.batches), 1)} msgs, largest ${f.largestBatch}`
        : ''),
  );
  if (f.firstError) ctx.log(`  ${target.kind}: first error: ${f.firstError}`);
  return f;
}

const perCpu = (f: ThroughputFigures) => f.perSecond / Math.max(0.01, f.serverCpu);

export function throughputRows(ctx: Context, pairCount: number, chat: ThroughputFigures, relay: ThroughputFigures): Row[] {
  const { window } = throughputPlan(ctx);
  return [
    row({
      name: 'dm-throughput',
      metric: `${pairCount} pairs, ${window} in flight each, stored+delivered`,
      value: chat.perSecond,
      unit: 'msg/s',
      baseline: relay.perSecond,
      target: '>= 20000 msg/s and >= 0.5x relay',
      note: `server loop ${fmt(chat.serverElu * 100, 0)}% busy, on CPU ${fmt(chat.serverCpu * 100, 0)}% of the time; per server CPU-second ${fmt(perCpu(chat), 0)} msg, relay ${fmt(perCpu(relay), 0)}; ${chat.errors} errors`,
      detail: {
        pairs: pairCount,
        window,
        chatSent: chat.sent,
        chatAcked: chat.acked,
        chatDelivered: chat.delivered,
        chatErrors: chat.errors,
        relaySent: relay.sent,
        relayAcked: relay.acked,
        relayDelivered: relay.delivered,
        relayErrors: relay.errors,
        chatServerElu: chat.serverElu,
        chatServerCpu: chat.serverCpu,
        relayServerCpu: relay.serverCpu,
        chatWriteBatches: chat.batches ?? null,
      },
    }),
    row({
      name: 'dm-throughput-per-cpu',
      metric: 'the same, per second of server CPU (the load generators share the cores)',
      value: perCpu(chat),
      unit: 'msg/CPU-s',
      baseline: perCpu(relay),
    }),
  ];
}

/** Full runs: the same load with 8 in flight per sender, the window of the earlier runs. */
export function smallWindowRow(chat: ThroughputFigures, relay: ThroughputFigures): Row {
  return row({
    name: `dm-throughput-window${SMALL_WINDOW}`,
    metric: `the same with ${SMALL_WINDOW} in flight per sender (the earlier runs' load)`,
    value: chat.perSecond,
    unit: 'msg/s',
    baseline: relay.perSecond,
    note: `server loop ${fmt(chat.serverElu * 100, 0)}% busy: bound by the commit's round trip more than by the server`,
    detail: {
      window: SMALL_WINDOW,
      chatAcked: chat.acked,
      chatDelivered: chat.delivered,
      chatErrors: chat.errors,
      relayAcked: relay.acked,
      relayErrors: relay.errors,
    },
  });
}
