/** 1. Direct-message throughput: many pairs sending as fast as acknowledgements allow (see dm.ts). */
import type { Context, Row, Target } from '../harness.js';
import type { IndexCatchUp } from '../server-config.js';
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
  /** CPU µs per delivered message: the server's main thread, and its other threads; null without /proc. */
  usPerMessage: { main: number; others: number } | null;
  batches?: number;
  largestBatch?: number;
  /** SQLite: the search indexing left for after the run, done then and measured. */
  indexCatchUp?: IndexCatchUp | null;
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
    usPerMessage: cpuSplit(s.cpuSeconds, s.mainThreadCpuSeconds, Math.min(acked, delivered)),
    batches: s.writer && before ? s.writer.batches - before.batches : undefined,
    largestBatch: s.writer?.largestBatch,
  };
}

/** Where a message's CPU went: µs on the main thread and on the others (writer, hashing, libuv, GC helpers). */
function cpuSplit(total: number, main: number | null, messages: number): ThroughputFigures['usPerMessage'] {
  if (main === null || messages === 0) return null;
  return { main: (main * 1e6) / messages, others: (Math.max(0, total - main) * 1e6) / messages };
}

const splitNote = (f: ThroughputFigures) =>
  f.usPerMessage ? `${fmt(f.usPerMessage.main, 1)} µs/msg on the main thread, ${fmt(f.usPerMessage.others, 1)} on others` : '';

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
      `server event loop ${fmt(f.serverElu * 100, 0)}% busy, on CPU ${fmt(f.serverCpu * 100, 0)}% of the time (${fmt(perCpu(f), 0)} msg per server CPU-second${f.usPerMessage ? `; ${splitNote(f)}` : ''})` +
      (f.batches !== undefined
        ? `; ${f.batches} write batches, avg ${fmt(f.acked / Math.max(1, f.batches), 1)} msgs, largest ${f.largestBatch}`
        : ''),
  );
  if (f.firstError) ctx.log(`  ${target.kind}: first error: ${f.firstError}`);
  f.indexCatchUp = await target.indexCatchUp();
  if (f.indexCatchUp) ctx.log(`  ${target.kind}: ${indexNote(f)}`);
  return f;
}

const perCpu = (f: ThroughputFigures) => f.perSecond / Math.max(0.01, f.serverCpu);

/** Per server CPU-second with the search indexing left for after the run counted in (as perCpu without one). */
function perCpuWithIndex(f: ThroughputFigures): number {
  const i = f.indexCatchUp;
  if (!i) return perCpu(f);
  const delivered = f.perSecond * f.seconds;
  return delivered / Math.max(0.01, f.serverCpu * f.seconds + i.cpuSeconds);
}

const indexNote = (f: ThroughputFigures) => {
  const i = f.indexCatchUp!;
  return (
    `search index ${i.behind} messages behind at the end; indexing them took ${fmt(i.seconds, 2)} s, ${fmt(i.cpuSeconds, 2)} CPU-s ` +
    `(${fmt(i.behind ? (i.cpuSeconds * 1e6) / i.behind : 0, 1)} µs each); counting it, ${fmt(perCpuWithIndex(f), 0)} msg per server CPU-second`
  );
};

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
      note: chat.usPerMessage && relay.usPerMessage ? `chat ${splitNote(chat)}; relay ${splitNote(relay)}` : undefined,
    }),
    ...(chat.indexCatchUp
      ? [
          row({
            name: 'dm-throughput-per-cpu-with-index',
            metric: 'the same with the search indexing the run left for later counted in (the whole cost of a stored message)',
            value: perCpuWithIndex(chat),
            unit: 'msg/CPU-s',
            baseline: perCpu(relay),
            note: indexNote(chat),
          }),
        ]
      : []),
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
