/**
 * The InspIRCd anchor of the DM scenarios (issue 17): the same load shapes on InspIRCd, driven by
 * the load workers' IRC path (worker/irc.ts), when `inspircd` is installed; one line otherwise.
 * IRC has no acknowledgements: in the throughput loop a sender's slot is freed by its recipient's
 * receipt (both users live in the same load process), so "32 in flight" means 32 sent and not
 * yet received; ours frees it on the ack, which comes about when the message is delivered.
 */
import fs from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Context, Row } from '../harness.js';
import { findInspircd, Inspircd } from '../inspircd.js';
import { makeRunDir } from '../procs.js';
import { merged, percentile } from '../stats.js';
import { fmt, row } from './common.js';
import { latencyPlan, type LatencyFigures } from './latency.js';
import { throughputPlan, type ThroughputFigures } from './throughput.js';

export interface IrcThroughputFigures {
  perSecond: number;
  sent: number;
  delivered: number;
  seconds: number;
  /** Share of the time the server was on a CPU (its process's user + system time over the wall time). */
  serverCpu: number;
}

export interface IrcLatencyFigures {
  p50: number;
  p99: number;
  max: number;
  samples: number;
  sent: number;
  delivered: number;
  serverCpu: number;
}

export interface IrcFigures {
  version: string;
  throughput?: IrcThroughputFigures;
  latency?: IrcLatencyFigures;
}

/** Runs `body` and reports the server's CPU share over it (as the chat server's `stats` do). */
async function onCpu<T>(server: Inspircd, body: () => Promise<T>): Promise<[T, number]> {
  const cpu0 = server.cpuSeconds();
  const t0 = performance.now();
  const out = await body();
  const cpu1 = server.cpuSeconds();
  const seconds = (performance.now() - t0) / 1000;
  return [out, cpu0 === null || cpu1 === null ? NaN : (cpu1 - cpu0) / seconds];
}

async function ircThroughput(ctx: Context, server: Inspircd, pairs: [string, string][]): Promise<IrcThroughputFigures> {
  const p = throughputPlan(ctx);
  const split = ctx.workers.split(pairs);
  const run = (durationMs: number, perSender?: number) =>
    ctx.workers.each('irc-throughput', (i) =>
      split[i]!.length ? { pairs: split[i]!, window: p.window, durationMs, textBytes: p.textBytes, perSender } : null,
    );
  if (p.warmupMs > 0) await run(p.warmupMs);
  const [results, serverCpu] = await onCpu(server, () => run(p.durationMs, p.perSender));
  const sent = results.reduce((n, r) => n + r.sent, 0);
  const delivered = results.reduce((n, r) => n + r.delivered, 0);
  const seconds = (Math.max(...results.map((r) => r.end)) - Math.min(...results.map((r) => r.start))) / 1000;
  return { perSecond: delivered / seconds, sent, delivered, seconds, serverCpu };
}

async function ircLatency(ctx: Context, server: Inspircd, pairs: [string, string][]): Promise<IrcLatencyFigures> {
  const split = ctx.workers.split(pairs);
  const plan = latencyPlan(ctx);
  const [results, serverCpu] = await onCpu(server, () =>
    ctx.workers.each('irc-rate', (i) => (split[i]!.length ? { ...plan, pairs: split[i]! } : null)),
  );
  const lat = merged(results.map((r) => r.latencies));
  return {
    p50: percentile(lat, 50),
    p99: percentile(lat, 99),
    max: lat.length ? lat[lat.length - 1]! : NaN,
    samples: lat.length,
    sent: results.reduce((n, r) => n + r.sent, 0),
    delivered: results.reduce((n, r) => n + r.delivered, 0),
    serverCpu,
  };
}

/**
 * Starts InspIRCd, registers the pairs' users on it (each pair on one load worker, as for the chat
 * server), measures what is asked (latency first, as for ours) and stops it; null when it is not installed.
 */
export async function measureInspircd(
  ctx: Context,
  pairs: [string, string][],
  want: { throughput: boolean; latency: boolean },
): Promise<IrcFigures | null> {
  const binary = findInspircd();
  if (!binary) {
    ctx.log('  InspIRCd: not installed (Debian: apt-get install inspircd), so its anchor rows are skipped');
    return null;
  }
  const server = await Inspircd.start(binary, fs.mkdtempSync(path.join(makeRunDir(), 'inspircd-')));
  ctx.log(`  InspIRCd: ${server.version} (${binary}) on 127.0.0.1:${server.port}, flood control off`);
  try {
    const split = ctx.workers.split(pairs);
    const conn = await ctx.workers.each('irc-connect', (i) =>
      split[i]!.length ? { host: '127.0.0.1', port: server.port, users: split[i]!.flat(), concurrency: 16 } : null,
    );
    const failed = conn.reduce((n, c) => n + c.failed, 0);
    if (failed > 0)
      throw new Error(
        `InspIRCd: ${failed} of ${pairs.length * 2} users could not register; first: ${conn.find((c) => c.firstError)?.firstError}`,
      );
    const out: IrcFigures = { version: server.version };
    if (want.latency) {
      const f = (out.latency = await ircLatency(ctx, server, pairs));
      ctx.log(
        `  inspircd: p50 ${fmt(f.p50, 2)} ms, p99 ${fmt(f.p99, 2)} ms, max ${fmt(f.max, 2)} ms over ${f.samples} receipts (${f.delivered}/${f.sent} delivered); server on CPU ${fmt(f.serverCpu * 100, 0)}%`,
      );
    }
    if (want.throughput) {
      const f = (out.throughput = await ircThroughput(ctx, server, pairs));
      ctx.log(
        `  inspircd: ${fmt(f.perSecond, 0)} msg/s (${f.delivered}/${f.sent} delivered in ${fmt(f.seconds, 2)} s); server on CPU ${fmt(f.serverCpu * 100, 0)}% of the time (${fmt(f.perSecond / f.serverCpu, 0)} msg per server CPU-second)`,
      );
    }
    return out;
  } finally {
    await ctx.workers.closeAll().catch(() => undefined);
    await server.stop();
  }
}

const what = (version: string) => `InspIRCd (${version}; C++, in memory, no acks); baseline: tui-chat in this run`;

export function inspircdThroughputRows(irc: IrcThroughputFigures, version: string, chat: ThroughputFigures, window: number): Row[] {
  const perCpu = (perSecond: number, cpu: number) => perSecond / Math.max(0.01, cpu);
  const ircPerCpu = perCpu(irc.perSecond, irc.serverCpu);
  const chatPerCpu = perCpu(chat.perSecond, chat.serverCpu);
  return [
    row({
      name: 'dm-throughput-inspircd',
      metric: `the dm-throughput load on ${what(version)}; ${window} per sender sent and not yet received (IRC has no acks)`,
      value: irc.perSecond,
      unit: 'msg/s',
      baseline: chat.perSecond,
      note: `tui-chat does ${fmt(chat.perSecond / irc.perSecond, 2)}x of it; InspIRCd on CPU ${fmt(irc.serverCpu * 100, 0)}% of the time`,
      detail: { ircSent: irc.sent, ircDelivered: irc.delivered, ircServerCpu: irc.serverCpu, window },
    }),
    row({
      name: 'dm-throughput-inspircd-per-cpu',
      metric: `the same, per second of the IRC server's CPU; baseline: tui-chat's per server CPU-second`,
      value: ircPerCpu,
      unit: 'msg/CPU-s',
      baseline: chatPerCpu,
      note: `tui-chat does ${fmt(chatPerCpu / ircPerCpu, 2)}x of it`,
    }),
  ];
}

export function inspircdLatencyRows(irc: IrcLatencyFigures, version: string, chat: LatencyFigures): Row[] {
  const metric = (p: string) => `${p} send->receipt at ${chat.rate} msg/s on ${what(version)}`;
  const detail = { ircSent: irc.sent, ircDelivered: irc.delivered, ircSamples: irc.samples, ircServerCpu: irc.serverCpu };
  return [
    row({ name: 'dm-latency-inspircd-p50', metric: metric('p50'), value: irc.p50, unit: 'ms', baseline: chat.p50, detail }),
    row({ name: 'dm-latency-inspircd-p99', metric: metric('p99'), value: irc.p99, unit: 'ms', baseline: chat.p99 }),
  ];
}
