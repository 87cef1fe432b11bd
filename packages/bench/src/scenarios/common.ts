/** What a scenario is, and helpers the scenarios share. */
import type { Context, Kind, Row, Target } from '../harness.js';
import { summarizeProfile } from '../profile.js';

export interface Scenario {
  name: string;
  /** One line for the listing. */
  title: string;
  run(ctx: Context): Promise<Row[]>;
}

/**
 * Thrown by a scenario that cannot run here (a service it needs does not answer): the run prints
 * the message on one line, records it under `skipped` in the JSON, and goes on with the others.
 */
export class ScenarioSkipped extends Error {}

export function ratio(value: number, baseline: number | null): number | null {
  if (baseline === null || !Number.isFinite(baseline) || baseline === 0 || !Number.isFinite(value)) return null;
  return value / baseline;
}

export function row(r: Omit<Row, 'ratio'> & { ratio?: number | null }): Row {
  return { ...r, ratio: r.ratio !== undefined ? r.ratio : ratio(r.value, r.baseline) };
}

/**
 * A row's value and baseline read by one `pick` from two runs' figures (the chat server's and the
 * relay's, two nodes' and one's), so that the two are always the same figure: `row({ name, metric,
 * unit, ...versus(chat, relay, (f) => f.p50) })`.
 */
export function versus<F>(measured: F, baseline: F, pick: (f: F) => number): { value: number; baseline: number } {
  return { value: pick(measured), baseline: pick(baseline) };
}

/** Stops a target; with --profile prints the chat server's top functions. */
export async function stopTarget(ctx: Context, target: Target, label: string): Promise<void> {
  const file = await target.stop();
  if (file) {
    ctx.profiles.push([label, file]);
    ctx.log(`cpu profile of the chat server (${label}): ${file}`);
    for (const line of summarizeProfile(file, 18)) ctx.log(`  ${line}`);
  }
}

/** Runs `body` with the server's CPU profiler on (with --profile) and prints the top functions. */
export async function profiled<T>(ctx: Context, target: Target, label: string, body: () => Promise<T>): Promise<T> {
  const on = await target.profileStart(ctx);
  try {
    return await body();
  } finally {
    if (on) {
      const file = await target.profileStop(ctx, label);
      if (file) {
        ctx.profiles.push([label, file]);
        ctx.log(`  cpu profile of the ${target.kind} server during ${label}: ${file}`);
        for (const line of summarizeProfile(file, 18)) ctx.log(`    ${line}`);
      }
    }
  }
}

/** Runs `body` for both targets, the chat server first, each in a fresh process. */
export async function forBoth<T>(
  ctx: Context,
  start: (kind: Kind) => Promise<Target>,
  label: string,
  body: (target: Target) => Promise<T>,
): Promise<Record<Kind, T>> {
  const out = {} as Record<Kind, T>;
  for (const kind of ['chat', 'relay'] as const) {
    const target = await start(kind);
    try {
      out[kind] = await body(target);
    } finally {
      await ctx.workers.closeAll().catch(() => undefined);
      await stopTarget(ctx, target, `${label}/${kind}`);
    }
  }
  return out;
}

export const fmt = (n: number, digits = 1): string => (Number.isFinite(n) ? n.toFixed(digits) : String(n));
