/**
 * 10. Reconnecting after a server outage: N real headless ChatClients (the client's own retry
 * schedule, token login and catch-up) logged in from one address (127.0.0.1); the server is
 * stopped, kept down 5 s (then 20 s), and started again on the same port and SQLite file, with
 * the server's DEFAULT limits (connection caps, login and reconnect budgets: the point is that
 * they let N clients from one address back in). Figures: seconds from the server listening again
 * until 50 %, 95 % and all of the clients have their session back ('session:ready').
 *
 * Baseline, in the same run and the same way: N sockets reconnecting on the schedule the client
 * had before (socket.io-client's Manager backoff, 1 s doubling to 10 s, ±50 %).
 *
 * The set-up server (before the first outage) runs with raised limits, so the N password logins
 * from one address go at once; the clients come back to servers at the defaults.
 */
import path from 'node:path';
import { PASSWORD, Target, users, type Context, type Row } from '../harness.js';
import { Peer, ready, script, spawnNode } from '../procs.js';
import type { OutageResult, ReconnectMode } from '../reconnect-child.js';
import { percentile, sleep } from '../stats.js';
import { fmt, row, stopTarget, type Scenario } from './common.js';

export function reconnectPlan(ctx: Context) {
  const tiny = ctx.options.tiny;
  return {
    clients: tiny ? 5 : 100,
    outagesMs: tiny ? [1000, 2000] : [5000, 20_000],
    /** A client not back this long after the server listens never came back. */
    timeoutMs: 60_000,
    /** Between outages, longer than the client's 5 s after which a new loss retries at once again. */
    settleMs: tiny ? 5500 : 6000,
  };
}

interface Outage extends OutageResult {
  outageMs: number;
  /** When the server listened again, on the clients' clock. */
  listeningAt: number;
  /** Connections the server's guard refused at once (a cap reached), while they came back. */
  guardRefused: number;
}

/** Seconds from the server listening to each client's session, sorted; a client not back counts as Infinity. */
function backTimes(o: Outage, at: Float64Array = o.readyAt): Float64Array {
  return Float64Array.from(at, (t) => (Number.isNaN(t) ? Infinity : (t - o.listeningAt) / 1000)).sort();
}

async function measure(ctx: Context, mode: ReconnectMode): Promise<Outage[]> {
  const plan = reconnectPlan(ctx);
  const names = users(mode === 'client' ? 'rc' : 'rs', plan.clients);
  const db = path.join(process.env.TUI_CHAT_BENCH_TMP ?? '.', `reconnect-${mode}.db`);
  let server = await Target.start(ctx, 'chat', { db });
  const port = server.port;
  const clients = new Peer(spawnNode(script('reconnect-child.js'), [JSON.stringify({ mode })], { raiseNofile: true }), `${mode} clients`);
  const out: Outage[] = [];
  try {
    await ready(clients);
    await server.seed(names, PASSWORD);
    const display = `127.0.0.1:${port}`;
    await clients.call('login', { url: server.url, display, users: names, password: PASSWORD, concurrency: 20 });
    await server.quiet(10_000);
    for (const outageMs of plan.outagesMs) {
      await clients.call('arm');
      await stopTarget(ctx, server, `reconnect/${mode}`);
      const { lost } = await clients.call<{ lost: number }>('lost', { timeoutMs: 10_000 });
      await sleep(outageMs);
      server = await Target.start(ctx, 'chat', { db, port, defaultLimits: true });
      const result = await clients.call<OutageResult>(
        'wait',
        { timeoutMs: plan.timeoutMs, resync: mode === 'client' },
        plan.timeoutMs + 30_000,
      );
      // Refused at the door by the connection guard (a full pending cap: the clients see it as unreachable).
      const guard = (await server.stats()).guard ?? { refused: 0, expired: 0 };
      const o: Outage = { ...result, outageMs, listeningAt: server.listeningAt!, guardRefused: guard.refused };
      out.push(o);
      const t = backTimes(o);
      const down = (o.listeningAt - Math.min(...o.lostAt.filter((x) => !Number.isNaN(x)))) / 1000;
      ctx.log(
        `  ${mode}, server down ${outageMs / 1000} s (lost by ${lost} clients; listening again ${fmt(down, 1)} s after the first noticed): ` +
          `${t.filter(Number.isFinite).length} of ${o.users} back, from listening p50 ${fmt(percentile(t, 50), 2)} s, p95 ${fmt(percentile(t, 95), 2)} s, ` +
          `all ${fmt(percentile(t, 100), 2)} s` +
          (mode === 'client' ? `, caught up (presence known) all ${fmt(percentile(backTimes(o, o.resyncedAt), 100), 2)} s` : '') +
          `; ${o.attempts} attempts, ${o.refusals} refused in the handshake, ${o.guardRefused} at the door, ${o.failed} failed${o.firstError ? ` (${o.firstError})` : ''}`,
      );
      await sleep(plan.settleMs);
    }
    return out;
  } finally {
    await clients.call('close-all').catch(() => undefined);
    await clients.stop();
    await stopTarget(ctx, server, `reconnect/${mode}`);
  }
}

export function reconnectRows(ctx: Context, client: Outage[], baseline: Outage[]): Row[] {
  const plan = reconnectPlan(ctx);
  const rows: Row[] = [];
  client.forEach((o, i) => {
    const b = baseline[i]!;
    const [t, bt] = [backTimes(o), backTimes(b)];
    const label = `${o.outageMs / 1000}s`;
    const notBack = t.filter((x) => !Number.isFinite(x)).length;
    const detail = {
      clients: o.users,
      outageMs: o.outageMs,
      // From the first client noticing the loss to the server listening (the stop and the start included).
      downS: (o.listeningAt - Math.min(...o.lostAt.filter((x) => !Number.isNaN(x)))) / 1000,
      back: o.users - notBack,
      notBack,
      failed: o.failed,
      attempts: o.attempts,
      refusals: o.refusals,
      guardRefused: o.guardRefused,
      firstError: o.firstError,
      caughtUpAllS: percentile(backTimes(o, o.resyncedAt), 100),
      baselineBack: b.users - bt.filter((x) => !Number.isFinite(x)).length,
      baselineAttempts: b.attempts,
      baselineRefusals: b.refusals,
    };
    const what = `${o.users} clients from one address, server stopped and started again ${o.outageMs / 1000} s later on the same port and file (default limits): s from listening until`;
    const base = 'baseline: the former schedule (socket.io backoff 1 s doubling to 10 s, ±50 %)';
    rows.push(
      row({
        name: `reconnect-${label}-p50`,
        metric: `${what} 50 % are back (session ready); ${base}`,
        value: percentile(t, 50),
        unit: 's',
        baseline: percentile(bt, 50),
        target: i === 0 ? 'most within 2 s' : undefined,
        detail,
      }),
      row({
        name: `reconnect-${label}-p95`,
        metric: `the same, 95 % back`,
        value: percentile(t, 95),
        unit: 's',
        baseline: percentile(bt, 95),
      }),
      row({
        name: `reconnect-${label}-all`,
        metric: `the same, all ${o.users} back`,
        value: percentile(t, 100),
        unit: 's',
        baseline: percentile(bt, 100),
        note:
          `${o.attempts} attempts (baseline ${b.attempts}), ${o.refusals + o.guardRefused} refused, ${o.failed} sent back to log in` +
          (notBack ? `, ${notBack} not back within ${plan.timeoutMs / 1000} s` : '') +
          `; all caught up (presence known) at ${fmt(detail.caughtUpAllS, 2)} s`,
      }),
    );
  });
  return rows;
}

export const reconnectScenario: Scenario = {
  name: 'reconnect',
  title:
    'N real clients, the server down 5 s and 20 s then restarted: s from listening until 50/95/100 % are back (baseline: the former backoff)',
  async run(ctx: Context) {
    const client = await measure(ctx, 'client');
    const baseline = await measure(ctx, 'sio-backoff');
    return reconnectRows(ctx, client, baseline);
  },
};
