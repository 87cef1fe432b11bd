/**
 * 6. The client: the real Ink UI holding 10,000 messages. Time from an arrival or a keystroke to
 * the frame written, and the process's memory. Baseline: the same UI holding 10 messages.
 */
import type { Context, Row } from '../harness.js';
import { Peer, ready, script, spawnNode } from '../procs.js';
import type { ClientBenchConfig, ClientBenchResult } from '../client-child.js';
import { percentile } from '../stats.js';
import { fmt, row, type Scenario } from './common.js';

/**
 * One UI in a fresh process. `production` sets NODE_ENV=production (React's production build), as
 * `tui-chat connect` does; otherwise NODE_ENV is unset and React runs its development build.
 */
async function measure(ctx: Context, messages: number, samples: number, production = true, inkPatches = true): Promise<ClientBenchResult> {
  const env = { ...process.env };
  delete env.CI;
  delete env.CONTINUOUS_INTEGRATION;
  delete env.NODE_ENV;
  if (production) env.NODE_ENV = 'production';
  // The child's stdout is not a terminal; a user's is, with colours: make Ink (chalk) colour as it would there.
  env.FORCE_COLOR = '3';
  // The Node flags `tui-chat connect` gives the client's process (packages/cli/src/client-process.ts).
  const { CLIENT_NODE_FLAGS } = (await import(new URL('../../../cli/dist/client-process.js', import.meta.url).href)) as {
    CLIENT_NODE_FLAGS: readonly string[];
  };
  const child = spawnNode(script('client-child.js'), [], { execArgv: ['--expose-gc', ...CLIENT_NODE_FLAGS], env, quiet: true });
  const peer = new Peer(child, `client (${messages} messages${production ? ', NODE_ENV=production' : ''})`);
  try {
    await ready(peer);
    const config: ClientBenchConfig = {
      messages,
      columns: 120,
      rows: 40,
      samples,
      clientDist: ctx.options.clientDist ?? undefined,
      inkPatches,
    };
    return await peer.call<ClientBenchResult>('run', config, 300_000);
  } finally {
    await peer.stop();
  }
}

const sorted = (a: Float64Array) => Float64Array.from(a).sort();

export const clientScenario: Scenario = {
  name: 'client',
  title: 'the Ink UI holding 10,000 messages: render after an arrival and a keystroke; memory',
  async run(ctx: Context) {
    const o = ctx.options;
    const n = o.tiny ? 200 : 10_000;
    const samples = o.tiny ? 5 : o.quick ? 10 : 60;
    const big = await measure(ctx, n, samples);
    const small = await measure(ctx, 10, samples);
    // React's development build (NODE_ENV unset), for comparison (full run only: the quick set has no time for it).
    const dev = o.quick ? null : await measure(ctx, n, samples, false);
    // Ink exactly as published (its Output.get, no shared caches or remembered rows): what the
    // patches save. This build's patches only: another build's (--client-dist) may keep them elsewhere.
    const unpatched = o.quick || o.clientDist ? null : await measure(ctx, n, samples, true, false);
    const describe = (r: ClientBenchResult, label = '') => {
      const a = sorted(r.arrivalMs);
      const pv = sorted(r.previewMs);
      const k = sorted(r.keyMs);
      const m = sorted(r.mergeMs);
      const ink = sorted(r.inkRenderMs);
      return (
        `  ${r.messages} messages${label}: mount ${fmt(r.mountMs, 0)} ms; arrival p50 ${fmt(percentile(a, 50), 2)} / max ${fmt(a[a.length - 1]!, 2)} ms ` +
        `(core merge p50 ${fmt(percentile(m, 50), 2)} ms); arrival elsewhere (preview line) p50 ${fmt(percentile(pv, 50), 2)} / max ${fmt(pv[pv.length - 1]!, 2)} ms; key p50 ${fmt(percentile(k, 50), 2)} / max ${fmt(k[k.length - 1]!, 2)} ms; ` +
        `Ink output p50 ${fmt(percentile(ink, 50), 2)} ms; RSS ${fmt(r.rss / 2 ** 20, 0)} MiB, heap ${fmt(r.heapUsed / 2 ** 20, 0)} MiB; ` +
        `heap committed ${fmt(r.breakdown.heapCommitted, 0)} MiB (${Object.entries(r.breakdown.spaces)
          .filter(([, mib]) => mib >= 0.5)
          .map(([space, mib]) => `${space} ${fmt(mib, 1)}`)
          .join(', ')}), external ${fmt(r.breakdown.external, 1)} MiB; node ${r.breakdown.execArgv.join(' ')}; ` +
        `${r.frames} writes` +
        (r.bytes
          ? ` (to the terminal per arrival ${fmt(r.bytes.arrival.sent, 0)} bytes of Ink's ${fmt(r.bytes.arrival.ink, 0)}, per key ${fmt(r.bytes.key.sent, 0)} of ${fmt(r.bytes.key.ink, 0)})`
          : '') +
        `; arrival on screen: ${r.arrivalVisible}, preview on screen: ${r.previewVisible}, typed text on screen: ${r.typedVisible}`
      );
    };
    ctx.log(
      `  client patches: ${big.patches.map((p) => `${p.name} ${p.active ? 'in' : `OUT (${p.reason})`}`).join(', ') || 'none reported (a build before the fence)'}`,
    );
    ctx.log(describe(big));
    ctx.log(describe(small));
    if (dev) ctx.log(describe(dev, ' (development build: NODE_ENV unset)'));
    if (unpatched) ctx.log(describe(unpatched, " (Ink's own Output.get: the patches taken out)"));
    const p = (a: Float64Array, q: number) => percentile(sorted(a), q);
    const detail = {
      messages: n,
      samples,
      arrivalVisible: big.arrivalVisible,
      previewVisible: big.previewVisible,
      typedVisible: big.typedVisible,
      mountMs: big.mountMs,
      nodeEnv: 'production (as `tui-chat connect` runs it)',
      mergeP50: p(big.mergeMs, 50),
      inkOutputP50: p(big.inkRenderMs, 50),
    };
    const rows: Row[] = [
      row({
        name: 'client-arrival-p50',
        metric: `render after an arrival, ${n} messages (baseline: 10)`,
        value: p(big.arrivalMs, 50),
        unit: 'ms',
        baseline: p(small.arrivalMs, 50),
        target: '<= 16 ms',
        note: `core merge ${fmt(p(big.mergeMs, 50), 2)} ms of it`,
        detail,
      }),
      // The first arrival after mount runs Ink's output code cold (it has drawn one frame) and
      // collects what the mount built: its own row. A real session has drawn many frames by then.
      row({
        name: 'client-arrival-first',
        metric: 'render of the first arrival after mount (cold code, GC of the mount)',
        value: big.arrivalMs[0]!,
        unit: 'ms',
        baseline: small.arrivalMs[0]!,
      }),
      row({
        name: 'client-arrival-max',
        metric: `render after an arrival, worst of the ${samples - 1} after the first`,
        value: p(big.arrivalMs.subarray(1), 100),
        unit: 'ms',
        baseline: p(small.arrivalMs.subarray(1), 100),
        target: '<= 16 ms',
      }),
      row({
        name: 'client-preview-p50',
        metric: `render after an arrival in another conversation (unread count, preview line), ${n} messages open`,
        value: p(big.previewMs, 50),
        unit: 'ms',
        baseline: p(small.previewMs, 50),
        target: '<= 16 ms',
      }),
      row({
        name: 'client-preview-max',
        metric: `render after an arrival in another conversation, worst of ${samples}`,
        value: p(big.previewMs, 100),
        unit: 'ms',
        baseline: p(small.previewMs, 100),
        target: '<= 16 ms',
      }),
      row({
        name: 'client-key-p50',
        metric: `render after a keystroke, ${n} messages`,
        value: p(big.keyMs, 50),
        unit: 'ms',
        baseline: p(small.keyMs, 50),
        target: '<= 16 ms',
      }),
      row({
        name: 'client-key-max',
        metric: `render after a keystroke, worst of ${samples}`,
        value: p(big.keyMs, 100),
        unit: 'ms',
        baseline: p(small.keyMs, 100),
        target: '<= 16 ms',
      }),
      row({
        name: 'client-memory',
        metric: `client process RSS holding ${n} messages (after GC)`,
        value: big.rss / 1e6,
        unit: 'MB',
        baseline: small.rss / 1e6,
        target: '<= 150 MB',
        note: `JS heap ${fmt(big.heapUsed / 1e6, 0)} MB`,
      }),
    ];
    if (big.bytes) {
      rows.push(
        row({
          name: 'client-key-bytes',
          metric: `bytes to the terminal per keystroke at 120x40 (the frame writer: the rows that changed); baseline: Ink's whole frames`,
          value: big.bytes.key.sent,
          unit: 'B',
          baseline: big.bytes.key.ink,
        }),
        row({
          name: 'client-arrival-bytes',
          metric: `bytes to the terminal per arrival in the open conversation at 120x40; baseline: Ink's whole frames`,
          value: big.bytes.arrival.sent,
          unit: 'B',
          baseline: big.bytes.arrival.ink,
        }),
      );
    }
    if (dev) {
      rows.push(
        row({
          name: 'client-arrival-p50-dev',
          metric: "as client-arrival-p50 with React's development build (NODE_ENV unset); baseline: production",
          value: p(dev.arrivalMs, 50),
          unit: 'ms',
          baseline: p(big.arrivalMs, 50),
          target: '<= 16 ms',
        }),
        row({
          name: 'client-key-p50-dev',
          metric: "as client-key-p50 with React's development build; baseline: production",
          value: p(dev.keyMs, 50),
          unit: 'ms',
          baseline: p(big.keyMs, 50),
          target: '<= 16 ms',
        }),
        row({
          name: 'client-memory-dev',
          metric: "as client-memory with React's development build; baseline: production",
          value: dev.rss / 1e6,
          unit: 'MB',
          baseline: big.rss / 1e6,
          target: '<= 150 MB',
        }),
      );
    }
    if (unpatched) {
      const without = (name: string, what: string, a: Float64Array, b: Float64Array, q: number) =>
        row({
          name: `${name}-unpatched`,
          metric: `as ${name} with Ink's own Output.get (no shared caches, no remembered rows); baseline: patched`,
          value: p(a, q),
          unit: 'ms',
          baseline: p(b, q),
          note: what,
        });
      rows.push(
        without('client-arrival-p50', 'what the Ink patches save on an arrival', unpatched.arrivalMs, big.arrivalMs, 50),
        without('client-key-p50', 'what they save on a keystroke', unpatched.keyMs, big.keyMs, 50),
        without('client-key-max', 'and on the worst keystroke', unpatched.keyMs, big.keyMs, 100),
      );
    }
    return rows;
  },
};
