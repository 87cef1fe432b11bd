/**
 * 8. Cluster failover: how long users are gone when a chat node is killed. Two nodes on one
 * PostgreSQL database and Redis prefix (as in `cluster`), a short presence TTL. N users log in on
 * node 1 and keep their session tokens.
 *
 * Baseline, a planned move: all N leave node 1 on purpose and at once reconnect to node 2 with
 * their tokens; from the first disconnect to the last 'session:ready' on node 2 (after one
 * unmeasured round trip, so node 2 is as warm for it as for the failover). Then they move
 * back to node 1, and node 1 is killed with SIGKILL: each client, on losing its connection,
 * reconnects at once to node 2 with its token (as the real client does with an address list).
 * From the kill to each client's 'session:ready' on node 2: p50, p99, the last; and how many never
 * came back within FAILOVER_TIMEOUT_MS (must be 0).
 *
 * Its own database and Redis key prefix, removed at the end (also on an error or Ctrl+C); without
 * PostgreSQL or Redis the scenario is skipped with one line saying why.
 */
import { performance } from 'node:perf_hooks';
import { users, type Context, type Row, type Target } from '../harness.js';
import { connect } from '../workers.js';
import type { Cleaned, ClusterServices } from '../cluster-services.js';
import { percentile, sleep } from '../stats.js';
import { fmt, row, stopTarget, type Scenario } from './common.js';
import { servicesDetail, startNodes, withClusterServices } from './cluster-nodes.js';

/** Users on the node that is killed: full run, --quick, --tiny. */
export const FAILOVER_USERS = { full: 1000, quick: 200, tiny: 10 };
/** The nodes' presence TTL (the server's presenceTtlMs): how long a killed node's users still count as online. */
export const FAILOVER_PRESENCE_TTL_MS = 3000;
/** A client not back on node 2 this long after the kill (or the move) never came back. */
export const FAILOVER_TIMEOUT_MS = 60_000;

/** Milliseconds on the clock the load generators stamp with (load-worker's `clock`). */
const clock = (): number => performance.timeOrigin + performance.now();

export function failoverPlan(ctx: Context) {
  const o = ctx.options;
  return {
    users: o.tiny ? FAILOVER_USERS.tiny : o.quick ? FAILOVER_USERS.quick : FAILOVER_USERS.full,
    presenceTtlMs: FAILOVER_PRESENCE_TTL_MS,
    timeoutMs: FAILOVER_TIMEOUT_MS,
  };
}

/** Times of every user back, from `from` (ms, sorted), and what did not work. */
interface Comeback {
  users: number;
  /** ms from the start (first disconnect / the kill) to each user's 'session:ready' on node 2. */
  times: Float64Array;
  /** Refused for good or gave up within the timeout. */
  failed: number;
  retries: number;
  firstError: string | null;
}

const sorted = (values: number[]): Float64Array => Float64Array.from(values).sort();
const last = (times: Float64Array): number => (times.length ? times[times.length - 1]! : NaN);

/** Moves every user of every worker to `target` with their tokens, all at once. */
async function moveAll(ctx: Context, target: Target, timeoutMs: number): Promise<Comeback> {
  const results = await ctx.workers.each('move', () => ({ url: target.url, timeoutMs }), timeoutMs + 60_000);
  const start = Math.min(...results.map((r) => r.start));
  return {
    users: results.reduce((n, r) => n + r.users, 0),
    times: sorted(results.flatMap((r) => Array.from(r.readyAt, (t) => t - start))),
    failed: results.reduce((n, r) => n + r.failed, 0),
    retries: results.reduce((n, r) => n + r.retries, 0),
    firstError: results.find((r) => r.firstError)?.firstError ?? null,
  };
}

/** Waits until `target` holds `count` connections (disconnects and handshakes are asynchronous). */
async function settleConnections(target: Target, count: number, maxMs = 10_000): Promise<number> {
  const until = Date.now() + maxMs;
  let n = (await target.stats()).connections;
  while (n !== count && Date.now() < until) {
    await sleep(100);
    n = (await target.stats()).connections;
  }
  return n;
}

interface Failover extends Comeback {
  /** ms from the kill until the last client saw its connection go. */
  lostLast: number;
  /** ms from the kill until a client first heard 'sync:needed' from node 2 (node 1 reaped), or null. */
  reapedAfter: number | null;
  /** Node 2's connections after the failover. */
  node2Connections: number;
}

interface Figures {
  n: number;
  planned: Comeback;
  back: Comeback;
  failover: Failover;
}

async function measure(ctx: Context, services: ClusterServices): Promise<Figures> {
  const plan = failoverPlan(ctx);
  const n = plan.users;
  const names = users('fo', n);
  const [node1, node2] = (await startNodes(ctx, services, 2, { presenceTtlMs: plan.presenceTtlMs })) as [Target, Target];
  try {
    // Seeded once (the nodes share the database), logged in with the password on node 1, tokens kept.
    const login = await connect(ctx, node1, ctx.workers.split(names), { keepTokens: true, spreadAddresses: true });
    ctx.log(`  ${login.connected} users logged in on node 1 in ${fmt(login.seconds, 2)} s; presence TTL ${plan.presenceTtlMs} ms`);
    await Promise.all([node1.quiet(15_000), node2.quiet(15_000)]);

    // Warm-up, not measured: one round trip node 1 -> node 2 -> node 1, so node 2 has served token
    // handshakes (code compiled, its database pool open) before either measured move, as in the failover.
    const warm = [await moveAll(ctx, node2, plan.timeoutMs), await moveAll(ctx, node1, plan.timeoutMs)];
    await settleConnections(node2, 0);
    if ((await settleConnections(node1, n)) !== n)
      throw new Error(`warm-up: not every user got back to node 1; first error: ${warm.map((w) => w.firstError).find(Boolean)}`);
    ctx.log(`  warm-up round trip node 1 -> node 2 -> node 1: ${warm.map((w) => `${fmt(last(w.times), 0)} ms`).join(' + ')}`);
    await Promise.all([node1.quiet(15_000), node2.quiet(15_000)]);

    // Baseline: a planned move, everyone at once, node 1 -> node 2.
    const planned = await moveAll(ctx, node2, plan.timeoutMs);
    const onTwo = await settleConnections(node2, n);
    const leftOnOne = await settleConnections(node1, 0);
    ctx.log(
      `  planned move node 1 -> node 2: ${planned.times.length} of ${planned.users} back in ${fmt(last(planned.times), 0)} ms ` +
        `(p50 ${fmt(percentile(planned.times, 50), 0)}, p99 ${fmt(percentile(planned.times, 99), 0)} ms; ${planned.failed} failed, ${planned.retries} retries); ` +
        `node 1 / node 2: ${leftOnOne} / ${onTwo} connections`,
    );
    if (planned.firstError) ctx.log(`  first error: ${planned.firstError}`);
    await Promise.all([node1.quiet(15_000), node2.quiet(15_000)]);

    // Everyone back on node 1 (not measured as a figure; printed).
    const back = await moveAll(ctx, node1, plan.timeoutMs);
    const onOne = await settleConnections(node1, n);
    await settleConnections(node2, 0);
    ctx.log(`  back to node 1: ${back.times.length} of ${back.users} in ${fmt(last(back.times), 0)} ms; node 1 holds ${onOne} connections`);
    if (back.failed > 0 || onOne !== n)
      throw new Error(
        `${n - back.times.length} users did not get back to node 1 (${onOne} connections there); first error: ${back.firstError}`,
      );
    await Promise.all([node1.quiet(15_000), node2.quiet(15_000)]);

    // kill -9 node 1; its clients reconnect to node 2 with their tokens.
    const armed = await ctx.workers.each('failover-arm', () => ({ url: node2.url, timeoutMs: plan.timeoutMs }));
    const armedCount = armed.reduce((a, r) => a + r.armed, 0);
    const killAt = clock();
    await node1.kill();
    const results = await ctx.workers.each(
      'failover-wait',
      // After the last is back, wait (a little longer than) the TTL for node 2 to reap node 1.
      () => ({ timeoutMs: plan.timeoutMs, syncGraceMs: 2 * plan.presenceTtlMs + 2000 }),
      plan.timeoutMs + 4 * plan.presenceTtlMs + 60_000,
    );
    const reaps = results.flatMap((r) => (r.syncNeededAt === null ? [] : [r.syncNeededAt - killAt]));
    const node2Connections = await settleConnections(node2, n, 2000);
    const failover: Failover = {
      users: armedCount,
      times: sorted(results.flatMap((r) => Array.from(r.readyAt, (t) => t - killAt))),
      failed: results.reduce((a, r) => a + r.failed, 0),
      retries: results.reduce((a, r) => a + r.retries, 0),
      firstError: results.find((r) => r.firstError)?.firstError ?? null,
      lostLast: Math.max(...results.flatMap((r) => Array.from(r.lostAt, (t) => t - killAt))),
      reapedAfter: reaps.length ? Math.min(...reaps) : null,
      node2Connections,
    };
    const f = failover;
    ctx.log(
      `  kill -9 node 1: ${f.times.length} of ${f.users} back on node 2, p50 ${fmt(percentile(f.times, 50), 0)}, p99 ${fmt(percentile(f.times, 99), 0)}, ` +
        `last ${fmt(last(f.times), 0)} ms after the kill (all saw the loss within ${fmt(f.lostLast, 0)} ms; ${f.failed} failed, ${f.retries} retries); ` +
        `node 2 holds ${node2Connections} connections; node 1 reaped (sync:needed) ${f.reapedAfter === null ? 'not seen' : `${fmt(f.reapedAfter, 0)} ms after the kill`}`,
    );
    if (f.firstError) ctx.log(`  first error: ${f.firstError}`);
    return { n, planned, back, failover };
  } finally {
    await ctx.workers.closeAll().catch(() => undefined);
    await stopTarget(ctx, node1, 'cluster-failover/node1');
    await stopTarget(ctx, node2, 'cluster-failover/node2');
  }
}

export function failoverRows(ctx: Context, fig: Figures, services: ClusterServices, cleaned: Cleaned | null): Row[] {
  const { presenceTtlMs, timeoutMs } = failoverPlan(ctx);
  const { n, planned: p, failover: f } = fig;
  const notBack = f.users - f.times.length;
  const plannedTotal = last(p.times);
  const killedLast = last(f.times);
  const what = `${n} users, 2 nodes on PostgreSQL+Redis, presence TTL ${presenceTtlMs} ms`;
  const errors =
    `${notBack} not back within ${timeoutMs / 1000} s, ${f.failed} refused/gave up, ${f.retries} retries` +
    (f.firstError ? `, first error: ${f.firstError}` : '') +
    (p.failed || p.retries ? `; planned move: ${p.failed} failed, ${p.retries} retries` : '');
  const detail = {
    users: n,
    presenceTtlMs,
    plannedBack: p.times.length,
    plannedFailed: p.failed,
    plannedRetries: p.retries,
    plannedTotalMs: plannedTotal,
    plannedP50Ms: percentile(p.times, 50),
    plannedP99Ms: percentile(p.times, 99),
    armed: f.users,
    back: f.times.length,
    notBack,
    failed: f.failed,
    retries: f.retries,
    firstError: f.firstError,
    p50Ms: percentile(f.times, 50),
    p99Ms: percentile(f.times, 99),
    lastMs: killedLast,
    lossSeenWithinMs: f.lostLast,
    reapedAfterMs: f.reapedAfter,
    node2Connections: f.node2Connections,
    ...servicesDetail(services, cleaned),
  };
  return [
    row({
      name: 'cluster-failover-last',
      metric: `${what}: kill -9 of node 1 -> the last of its users back on node 2 (token reconnect); baseline the planned move of all ${n}, first disconnect -> last back`,
      value: killedLast,
      unit: 'ms',
      baseline: plannedTotal,
      note: `p99 ${fmt(percentile(f.times, 99), 0)} ms (planned ${fmt(percentile(p.times, 99), 0)}); ${errors}`,
      detail,
    }),
    row({
      name: 'cluster-failover-p50',
      metric: `the same, median user: kill -> back on node 2; baseline the planned move's median`,
      value: percentile(f.times, 50),
      unit: 'ms',
      baseline: percentile(p.times, 50),
      note: `all saw the loss within ${fmt(f.lostLast, 0)} ms; node 1 reaped by node 2 ${f.reapedAfter === null ? 'not seen' : `after ${fmt(f.reapedAfter, 0)} ms`}`,
    }),
    row({
      name: 'cluster-failover-rate',
      metric: `users back per second after the kill (${f.times.length} / last); baseline the planned move's`,
      value: f.times.length / (killedLast / 1000),
      unit: 'users/s',
      baseline: p.times.length / (plannedTotal / 1000),
    }),
  ];
}

export const clusterFailoverScenario: Scenario = {
  name: 'cluster-failover',
  title:
    'PostgreSQL+Redis: kill -9 of a node holding N users; ms until each is back on the other node with its token (baseline: a planned move)',
  async run(ctx: Context) {
    const { result, services, cleaned } = await withClusterServices(ctx, 'cluster-failover', (services) => measure(ctx, services));
    return failoverRows(ctx, result, services, cleaned);
  },
};
