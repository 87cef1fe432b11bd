/**
 * 9. A reader of large history pages against the direct-message latency (a red-team finding: does
 * one user reading big pages as fast as the server allows delay everyone else's messages?).
 *
 * One chat server (the relay has no history) runs with the rate limits raised, except the read
 * limits, which keep the server's defaults: a page-byte budget of 8 MiB per session per 10 s.
 * A conversation is filled with 500 messages of 8 KiB of control characters (~49 KiB each once
 * JSON-escaped, so a page stops after ~5 of them near 256 KiB). Then the dm-latency load (100
 * pairs, 2,000 msg/s, see latency.ts) runs three times on the same server: without the reader (the
 * baseline), with it, and without it again (to see the order's share). The reader, in a
 * load-generator process of its own so its parsing does not delay the senders' receipts, asks for
 * `{ with, limit: 500 }` pages back to the start and then from the newest again, each request as
 * soon as the previous is answered. On a refusal it waits the `retryAfter` the server gives (see
 * READER_WAITS_RETRY_AFTER). It starts when the measured part of the load begins, so its first
 * budget window (its burst of ~35 pages) falls inside it: with the full run's 9 s measured, one
 * burst; the budget's next window opens after the measurement.
 */
import { HISTORY_PAGE_MAX, MESSAGE_MAX_BYTES } from '@tui-chat/protocol';
import { PASSWORD, Target, users, type Context, type Row } from '../harness.js';
import { connect, Workers } from '../workers.js';
import type { ConnectArgs } from '../worker/connect.js';
import type { FillArgs, FillResult } from '../worker/fill.js';
import type { HistoryReadArgs, HistoryReadResult } from '../worker/history-read.js';
import { percentile } from '../stats.js';
import { describeLatency, latencyPlan, runRate, type LatencyFigures } from './latency.js';
import { fmt, profiled, row, stopTarget, type Scenario } from './common.js';

const READER = 'hreader';
const OTHER = 'hother';
/** The server's default read limits (DEFAULT_LIMITS in packages/server/src/limits.ts). */
const READ_LIMITS = { readBytesPerWindow: 8 * 1024 * 1024, windowSeconds: 10 };
/**
 * The reader waits the `retryAfter` of a refusal before asking again. Asking at once instead (tried:
 * ~4,600 refusals a second once the budget is spent, the server's loop 75% busy instead of ~38%)
 * measures a flood of cheap refused requests (any request would do for that), not the pages.
 */
const READER_WAITS_RETRY_AFTER = true;
const FILL_COUNT = 500;
const FILL_TEXT = '\u0001'.repeat(MESSAGE_MAX_BYTES);

interface ReaderFigures {
  before: LatencyFigures;
  during: LatencyFigures;
  after: LatencyFigures;
  read: HistoryReadResult;
  fill: FillResult;
}

const MB = 1e6;

function describeRead(r: HistoryReadResult): string {
  const seconds = (r.end - r.start) / 1000;
  const sorted = Float64Array.from(r.pageMs).sort();
  return (
    `  reader: ${r.pages} pages (${r.messages} messages) in ${fmt(seconds, 1)} s = ${fmt(r.pages / seconds, 1)} pages/s, ` +
    `${fmt(r.bytes / MB, 1)} MB received = ${fmt(r.bytes / MB / seconds, 2)} MB/s; each page answered in p50 ${fmt(percentile(sorted, 50), 1)} ms, ` +
    `max ${fmt(percentile(sorted, 100), 1)} ms; refused ${r.refusedBudget + r.refusedOwed + r.refusedOther} ` +
    `(budget ${r.refusedBudget}, connection owed ${r.refusedOwed}, other ${r.refusedOther}), waited ${fmt(r.waitedMs / 1000, 1)} s on retryAfter; ` +
    `${r.errors} errors${r.firstError ? `: ${r.firstError}` : ''}` +
    (r.firstRefusal ? `\n  reader: first refusal: ${r.firstRefusal}` : '')
  );
}

export const readerScenario: Scenario = {
  name: 'reader',
  title: 'dm latency at 2,000 msg/s while one user reads 500 x 8 KiB control-character history pages as fast as allowed (chat only)',
  async run(ctx: Context) {
    const o = ctx.options;
    const pairCount = o.tiny ? 2 : 100;
    const names = users('rd', pairCount * 2);
    const pairs: [string, string][] = Array.from({ length: pairCount }, (_, i) => [names[2 * i]!, names[2 * i + 1]!]);
    const split = ctx.workers.split(pairs);
    const plan = latencyPlan(ctx);
    ctx.log(
      `  chat server limits: raised, except readBytesPerWindow ${READ_LIMITS.readBytesPerWindow} per windowSeconds ${READ_LIMITS.windowSeconds} (the server's defaults)`,
    );

    const target = await Target.start(ctx, 'chat', { limits: READ_LIMITS });
    let readerWorker: Workers | null = null;
    let f: ReaderFigures;
    try {
      readerWorker = await Workers.start(1);
      const reader = readerWorker.peers[0]!;
      await target.seed([...names, READER, OTHER], PASSWORD);
      await connect(
        ctx,
        target,
        split.map((ps) => ps.flat()),
        { seeded: true },
      );
      const connectArgs: ConnectArgs = { url: target.url, users: [READER], password: PASSWORD, concurrency: 1 };
      const c = await reader.call('connect', connectArgs);
      if (c.connected !== 1) throw new Error(`the reader could not log in: ${c.firstError}`);

      // The conversation: READER -> OTHER (OTHER stays offline; the messages are stored all the same).
      const fillArgs: FillArgs = { from: READER, to: OTHER, count: FILL_COUNT, text: FILL_TEXT, window: 16 };
      const fill = await reader.call('fill', fillArgs);
      ctx.log(
        `  filled ${READER}:${OTHER} with ${fill.acked} messages of ${MESSAGE_MAX_BYTES} control characters in ${fmt(fill.seconds, 1)} s (${fill.errors} errors)`,
      );
      if (fill.errors > 0 || fill.acked !== FILL_COUNT) throw new Error(`filling the conversation failed: ${fill.firstError}`);
      await target.quiet(15_000);

      const before = await runRate(ctx, target, split, plan);
      ctx.log(describeLatency('chat without the reader', before));
      const readArgs: HistoryReadArgs = {
        user: READER,
        with: OTHER,
        limit: HISTORY_PAGE_MAX,
        delayMs: plan.warmupMs,
        durationMs: plan.durationMs - plan.warmupMs,
        waitRetryAfter: READER_WAITS_RETRY_AFTER,
      };
      const [during, read] = await profiled(ctx, target, 'reader-dm-latency', async () => {
        const reading = reader.call('history-read', readArgs, plan.durationMs + 120_000);
        const rate = await runRate(ctx, target, split, plan);
        return [rate, await reading] as const;
      });
      ctx.log(describeLatency('chat with the reader', during));
      ctx.log(describeRead(read));
      const after = await runRate(ctx, target, split, plan);
      ctx.log(describeLatency('chat without the reader, again', after));
      for (const [label, x] of [
        ['without', before],
        ['with', during],
        ['again without', after],
      ] as const) {
        if (x.firstError) ctx.log(`  chat ${label} the reader: first error: ${x.firstError}`);
      }
      f = { before, during, after, read, fill };
    } finally {
      await readerWorker?.stop().catch(() => undefined);
      await ctx.workers.closeAll().catch(() => undefined);
      await stopTarget(ctx, target, 'reader/chat');
    }
    return readerRows(pairCount, f);
  },
};

function readerRows(pairCount: number, f: ReaderFigures): Row[] {
  const { before, during, after, read } = f;
  const seconds = (read.end - read.start) / 1000;
  const refused = read.refusedBudget + read.refusedOwed + read.refusedOther;
  const pageMs = Float64Array.from(read.pageMs).sort();
  const detail = {
    pairs: pairCount,
    rate: during.rate,
    fillMessages: f.fill.acked,
    fillSeconds: f.fill.seconds,
    readBytesPerWindow: READ_LIMITS.readBytesPerWindow,
    windowSeconds: READ_LIMITS.windowSeconds,
    readerWaitsRetryAfter: READER_WAITS_RETRY_AFTER,
    readerPages: read.pages,
    readerMessages: read.messages,
    readerBytes: read.bytes,
    readerSeconds: seconds,
    readerPagesPerSecond: read.pages / seconds,
    readerMBPerSecond: read.bytes / MB / seconds,
    readerRefusedBudget: read.refusedBudget,
    readerRefusedOwed: read.refusedOwed,
    readerRefusedOther: read.refusedOther,
    readerErrors: read.errors,
    readerPageP50: percentile(pageMs, 50),
    readerPageMax: percentile(pageMs, 100),
    readerWaitedSeconds: read.waitedMs / 1000,
    withSent: during.sent,
    withDelivered: during.delivered,
    withErrors: during.errors,
    withMax: during.max,
    withServerElu: during.serverElu,
    withoutSent: before.sent,
    withoutDelivered: before.delivered,
    withoutErrors: before.errors,
    withoutMax: before.max,
    withoutServerElu: before.serverElu,
    againP50: after.p50,
    againP99: after.p99,
    againErrors: after.errors,
  };
  const metric = (p: string) =>
    `${p} send->receipt at ${during.rate} msg/s while one user reads 8 KiB control-character history pages (baseline: without)`;
  const readerNote =
    `reader: ${fmt(read.pages / seconds, 1)} pages/s, ${fmt(read.bytes / MB / seconds, 2)} MB/s received, ${refused} refusals ` +
    `(budget ${READ_LIMITS.readBytesPerWindow / 2 ** 20} MiB/${READ_LIMITS.windowSeconds} s, the server's default; ${READER_WAITS_RETRY_AFTER ? 'it waits retryAfter' : 'it asks again at once'}); page answered p50 ${fmt(percentile(pageMs, 50), 1)} ms, max ${fmt(percentile(pageMs, 100), 1)} ms`;
  return [
    row({
      name: 'reader-dm-latency-p50',
      metric: metric('p50'),
      value: during.p50,
      unit: 'ms',
      baseline: before.p50,
      note: `without the reader again after it: ${fmt(after.p50, 2)} ms`,
      detail,
    }),
    row({
      name: 'reader-dm-latency-p99',
      metric: metric('p99'),
      value: during.p99,
      unit: 'ms',
      baseline: before.p99,
      target: '<= 10 ms',
      note: `${readerNote}; max ${fmt(during.max, 1)} ms (without ${fmt(before.max, 1)}); without the reader again after it: p99 ${fmt(after.p99, 2)} ms`,
      detail,
    }),
  ];
}
