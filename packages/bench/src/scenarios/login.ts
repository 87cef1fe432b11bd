/**
 * 5. Login cost at the real scrypt cost (the server's default, N=2^17): logins per second under a
 * flood, and what the flood does to messaging latency. The relay (no auth) takes the same flood.
 */
import { PASSWORD, Target, users, type Context } from '../harness.js';
import { connect } from '../workers.js';
import type { FloodArgs } from '../worker/login-flood.js';
import { merged, percentile } from '../stats.js';
import { describeLatency, runRate, type LatencyFigures } from './latency.js';
import { fmt, forBoth, profiled, row, type Scenario } from './common.js';

interface LoginFigures {
  quiet: LatencyFigures;
  flood: LatencyFigures;
  logins: number;
  loginsPerSecond: number;
  loginP50: number;
  failed: number;
}

export const loginScenario: Scenario = {
  name: 'login',
  title: 'login cost at the real scrypt cost (N=2^17): logins/s and messaging latency during a login flood',
  async run(ctx: Context) {
    const o = ctx.options;
    const pairCount = o.tiny ? 2 : o.quick ? 10 : 20;
    const ratePerSender = 200 / pairCount; // 200 msg/s of probe traffic in all
    const quietMs = o.tiny ? 500 : o.quick ? 1_000 : 5_000;
    const floodMs = o.tiny ? 1_000 : o.quick ? 2_500 : 15_000;
    const lanes = o.tiny ? 2 : 8;
    const probeNames = users('lp', pairCount * 2);
    const pairs: [string, string][] = Array.from({ length: pairCount }, (_, i) => [probeNames[2 * i]!, probeNames[2 * i + 1]!]);
    const floodUsers = users('lf', 64);
    // The probe runs on worker 0, the flood on the others (or worker 0 too when there is one).
    const floodWorkers = ctx.workers.size > 1 ? ctx.workers.peers.slice(1) : ctx.workers.peers;
    const res = await forBoth(
      ctx,
      (kind) => Target.start(ctx, kind, { scrypt: 'default' }),
      'login',
      async (target): Promise<LoginFigures> => {
        // The probe's users log in cheaply (their stored hashes are N=2^10); the flood's at the server's cost.
        await target.seed(probeNames, PASSWORD, 'cheap');
        await target.seed(floodUsers, PASSWORD, 'server');
        const sets = ctx.workers.peers.map((_, i) => (i === 0 ? probeNames : []));
        await connect(ctx, target, sets, { concurrency: 8, seeded: true });
        const probe = { ratePerSender, warmupMs: 200, textBytes: 100 };
        const onFirst = [pairs];
        const quiet = await runRate(ctx, target, onFirst, { ...probe, durationMs: quietMs });
        const floodSets = floodWorkers.map((_, i) => floodUsers.filter((_, k) => k % floodWorkers.length === i));
        const [flood, floods] = await profiled(ctx, target, 'login-flood', async () => {
          const floodDone = Promise.all(
            floodWorkers.map((p, i) => {
              const args: FloodArgs = {
                url: target.url,
                users: floodSets[i]!,
                password: PASSWORD,
                concurrency: Math.max(1, Math.round(lanes / floodWorkers.length)),
                durationMs: floodMs,
              };
              return p.call('login-flood', args);
            }),
          );
          const during = await runRate(ctx, target, onFirst, { ...probe, durationMs: floodMs });
          return [during, await floodDone] as const;
        });
        const logins = floods.reduce((n, f) => n + f.logins, 0);
        const failed = floods.reduce((n, f) => n + f.failed, 0);
        const seconds = Math.max(...floods.map((f) => f.seconds));
        const times = merged(floods.map((f) => f.times));
        const f: LoginFigures = { quiet, flood, logins, loginsPerSecond: logins / seconds, loginP50: percentile(times, 50), failed };
        ctx.log(
          `  ${target.kind}: ${logins} logins in ${fmt(seconds, 1)} s = ${fmt(f.loginsPerSecond, 1)}/s (${lanes} lanes, p50 ${fmt(f.loginP50, 0)} ms each, ${failed} failed${floods.find((x) => x.firstError)?.firstError ? `: ${floods.find((x) => x.firstError)!.firstError}` : ''})`,
        );
        ctx.log(describeLatency(`${target.kind} quiet`, quiet));
        ctx.log(describeLatency(`${target.kind} during flood`, flood));
        return f;
      },
    );
    const { chat, relay } = res;
    const detail = {
      lanes,
      chatLogins: chat.logins,
      chatLoginFailures: chat.failed,
      relayLogins: relay.logins,
      chatQuietP99: chat.quiet.p99,
      chatFloodDelivered: chat.flood.delivered,
      chatFloodSent: chat.flood.sent,
      relayQuietP99: relay.quiet.p99,
    };
    const rate = ratePerSender * pairCount;
    return [
      row({
        name: 'login-rate',
        metric: `logins/s at scrypt N=2^17, ${lanes} clients logging in and out (relay: connects/s)`,
        value: chat.loginsPerSecond,
        unit: 'login/s',
        baseline: relay.loginsPerSecond,
        note: `p50 ${fmt(chat.loginP50, 0)} ms per login`,
        detail,
      }),
      row({
        name: 'login-flood-dm-p99',
        metric: `p99 send->receipt at ${rate} msg/s during the login flood`,
        value: chat.flood.p99,
        unit: 'ms',
        baseline: relay.flood.p99,
        target: '<= 10 ms (the latency target)',
        note: `without the flood: p99 ${fmt(chat.quiet.p99, 2)} ms; max during flood ${fmt(chat.flood.max, 1)} ms`,
      }),
    ];
  },
};
