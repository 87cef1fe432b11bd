/**
 * 1. Direct-message throughput and 2. latency at a fixed rate. Both use 100 pairs of users, so
 * when both run they share one server per target: log in once, measure latency first (on a
 * near-empty database), then throughput. (The other order measures latency behind ~100,000 freshly
 * written messages, whose WAL checkpoints make the p99 several times worse.)
 */
import { probeFsync } from '../disk.js';
import { Target, users, type Context, type Kind, type Row } from '../harness.js';
import { connect } from '../workers.js';
import { makeRunDir } from '../procs.js';
import { fmt, forBoth, row, stopTarget, type Scenario } from './common.js';
import {
  measureThroughput,
  SMALL_WINDOW,
  THROUGHPUT_WINDOW,
  smallWindowRow,
  throughputPlan,
  throughputRows,
  type ThroughputFigures,
} from './throughput.js';
import { latencyRows, measureLatency, type LatencyFigures } from './latency.js';
import { inspircdLatencyRows, inspircdThroughputRows, measureInspircd } from './inspircd.js';

export function dmScenario(wantThroughput: boolean, wantLatency: boolean): Scenario {
  const name = wantThroughput && wantLatency ? 'dm' : wantThroughput ? 'dm-throughput' : 'dm-latency';
  const parts = [
    wantThroughput ? `direct messages, 100 pairs, ${THROUGHPUT_WINDOW} in flight per sender: stored and delivered per second` : '',
    wantLatency ? 'latency at 2,000 msg/s: p50/p99/max send -> receipt' : '',
  ].filter(Boolean);
  return {
    name,
    title: parts.join('; '),
    async run(ctx: Context) {
      const pairCount = ctx.options.tiny ? 2 : 100;
      const full = !ctx.options.quick && !ctx.options.tiny;
      const names = users('dm', pairCount * 2);
      const pairs: [string, string][] = Array.from({ length: pairCount }, (_, i) => [names[2 * i]!, names[2 * i + 1]!]);
      const res = await forBoth(
        ctx,
        (kind: Kind) => Target.start(ctx, kind),
        name,
        async (target) => {
          await connect(
            ctx,
            target,
            ctx.workers.split(pairs).map((ps) => ps.flat()),
          );
          const out: { throughput?: ThroughputFigures; small?: ThroughputFigures; latency?: LatencyFigures } = {};
          if (wantLatency) out.latency = await measureLatency(ctx, target, pairs);
          if (wantThroughput) out.throughput = await measureThroughput(ctx, target, pairs);
          if (wantThroughput && full) out.small = await measureThroughput(ctx, target, pairs, SMALL_WINDOW);
          return out;
        },
      );
      const rows: Row[] = [];
      if (res.chat.throughput && res.relay.throughput)
        rows.push(...throughputRows(ctx, pairCount, res.chat.throughput, res.relay.throughput));
      if (res.chat.small && res.relay.small) rows.push(smallWindowRow(res.chat.small, res.relay.small));
      if (wantThroughput && !ctx.options.quick && res.relay.throughput) {
        // Full runs: the same load on a minimal socket.io relay, to tell socket.io's share from the chat server's own.
        const target = await Target.start(ctx, 'sio-relay');
        let sio: ThroughputFigures;
        try {
          await connect(
            ctx,
            target,
            ctx.workers.split(pairs).map((ps) => ps.flat()),
          );
          sio = await measureThroughput(ctx, target, pairs);
        } finally {
          await ctx.workers.closeAll().catch(() => undefined);
          await stopTarget(ctx, target, `${name}/sio-relay`);
        }
        const perCpu = (f: ThroughputFigures) => f.perSecond / Math.max(0.01, f.serverCpu);
        rows.push(
          row({
            name: 'dm-throughput-sio-relay',
            metric: 'the same load on a minimal socket.io relay (no auth, no storage); baseline: the ws relay',
            value: sio.perSecond,
            unit: 'msg/s',
            baseline: res.relay.throughput.perSecond,
            note: `per server CPU-second ${fmt(perCpu(sio), 0)} msg; the chat server does ${fmt(res.chat.throughput ? res.chat.throughput.perSecond / sio.perSecond : NaN, 2)}x of it`,
            detail: { sioAcked: sio.acked, sioDelivered: sio.delivered, sioErrors: sio.errors, sioServerCpu: sio.serverCpu },
          }),
        );
      }
      // The anchor: the same load on InspIRCd, when it is installed (one line when it is not).
      // A failure there costs only the anchor's rows, not ours.
      const irc = await measureInspircd(ctx, pairs, { throughput: wantThroughput, latency: wantLatency }).catch((err: unknown) => {
        ctx.log(`  InspIRCd: ${err instanceof Error ? err.message : String(err)}; its anchor rows are skipped`);
        return null;
      });
      if (irc?.throughput && res.chat.throughput)
        rows.push(...inspircdThroughputRows(irc.throughput, irc.version, res.chat.throughput, throughputPlan(ctx).window));
      if (res.chat.latency && res.relay.latency) {
        // After the load, on the same disk as the server's database: what one commit's fsync costs here.
        const disk = probeFsync(makeRunDir(), ctx.options.tiny ? 20 : ctx.options.quick ? 300 : 2000);
        ctx.log(
          `  disk: append 8 KiB + fdatasync in the database's folder: p50 ${fmt(disk.p50, 2)} ms, p99 ${fmt(disk.p99, 2)} ms, max ${fmt(disk.max, 2)} ms over ${disk.samples}`,
        );
        rows.push(...latencyRows(res.chat.latency, res.relay.latency, disk));
      }
      if (irc?.latency && res.chat.latency) rows.push(...inspircdLatencyRows(irc.latency, irc.version, res.chat.latency));
      return rows;
    },
  };
}

export const throughputScenario = dmScenario(true, false);
export const latencyScenario = dmScenario(false, true);
