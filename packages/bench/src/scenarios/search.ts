/**
 * Search latency: `search:run` on 1,000,000 stored messages (quick: 100,000), on SQLite and on
 * PostgreSQL, as a user with many conversations (search-corpus.ts: 300 users, ~2,500 pair
 * conversations and 30 groups; the searcher in 110 pairs and 10 groups). The database is filled
 * straight (search-fill.ts), then the chat server is started on it and the searcher, a light
 * socket of the bench process, asks one query at a time, each as soon as the last is answered:
 * a rare word, a common word (two letters, the start of many longer words too) and two words, the
 * first page (20) each. Baseline: a `history:fetch` page of 20 on the same server, timed the same
 * way, so a figure reads as the search's cost over a plain page read in the same run. Chat only.
 * Without PostgreSQL (or Redis, which a cluster node needs) its rows are skipped with one line.
 */
import fs from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { searchTerms } from '@tui-chat/protocol';
import { PASSWORD, Target, type Context, type Row } from '../harness.js';
import { LiteSocket } from '../lite-socket.js';
import { makeRunDir } from '../procs.js';
import { percentile } from '../stats.js';
import { corpus, FOCUS, word, type Corpus } from '../search-corpus.js';
import { fillPostgres, fillSqlite, type Filled } from '../search-fill.js';
import { startNodes, withClusterServices } from './cluster-nodes.js';
import { fmt, row, ScenarioSkipped, stopTarget, type Scenario } from './common.js';

interface Query {
  label: string;
  query: string;
}

interface Timings {
  p50: number;
  p99: number;
  /** Messages on the first page. */
  page: number;
}

interface StoreFigures {
  store: 'SQLite' | 'PostgreSQL';
  filled: Filled;
  queries: Timings[];
  history: Timings;
}

const QUERIES: Query[] = [
  { label: 'a rare word', query: word(2000) },
  { label: 'a common word', query: word(0) },
  { label: 'two words', query: `${word(3)} ${word(300)}` },
];

/** `reps` requests one after another (after a few to warm up); their p50 and p99 in ms. */
async function timed(reps: number, ask: () => Promise<number>): Promise<Timings> {
  for (let i = 0; i < 3; i++) await ask();
  const times = new Float64Array(reps);
  let page = 0;
  for (let i = 0; i < reps; i++) {
    const t0 = performance.now();
    page = await ask();
    times[i] = performance.now() - t0;
  }
  times.sort();
  return { p50: percentile(times, 50), p99: percentile(times, 99), page };
}

async function measure(ctx: Context, target: Target, store: StoreFigures['store'], filled: Filled, reps: number): Promise<StoreFigures> {
  await target.quiet(15_000);
  const socket = await LiteSocket.connect({ url: target.url, auth: { user: FOCUS, password: PASSWORD }, readyEvent: 'session:ready' });
  try {
    const queries: Timings[] = [];
    for (const [i, q] of QUERIES.entries()) {
      const t = await timed(reps, async () => {
        const r = await socket.emitWithAck('search:run', { query: q.query });
        if (!r.ok) throw new Error(`search:run ${JSON.stringify(q.query)} refused: ${r.error.message}`);
        return r.messages.length;
      });
      if (t.page !== Math.min(20, filled.matches[i]!)) {
        throw new Error(`${store}: ${JSON.stringify(q.query)} gave ${t.page} messages; the corpus has ${filled.matches[i]} for ${FOCUS}`);
      }
      queries.push(t);
      ctx.log(
        `  ${store}: ${q.label} ("${q.query}", ${filled.matches[i]} matches): p50 ${fmt(t.p50, 2)} ms, p99 ${fmt(t.p99, 2)} ms (${reps} requests)`,
      );
    }
    const history = await timed(reps, async () => {
      const r = await socket.emitWithAck('history:fetch', { with: 'sq1', limit: 20 });
      if (!r.ok) throw new Error(`history:fetch refused: ${r.error.message}`);
      return r.messages.length;
    });
    ctx.log(`  ${store}: history:fetch, a page of 20: p50 ${fmt(history.p50, 2)} ms, p99 ${fmt(history.p99, 2)} ms`);
    return { store, filled, queries, history };
  } finally {
    socket.close();
  }
}

function describeFill(ctx: Context, store: string, c: Corpus, f: Filled): void {
  ctx.log(
    `  ${store}: ${c.count.toLocaleString('en-US')} messages in ${c.conversations.length} conversations filled in ${fmt(f.seconds, 1)} s ` +
      `(${fmt(c.count / f.seconds, 0)}/s, index kept as the server keeps it); ${FOCUS} reads ${f.readable.toLocaleString('en-US')} of them`,
  );
}

async function onSqlite(ctx: Context, c: Corpus, reps: number): Promise<StoreFigures> {
  const dir = fs.mkdtempSync(path.join(makeRunDir(), 'search-'));
  try {
    const file = path.join(dir, 'search.db');
    const filled = await fillSqlite(
      file,
      c,
      PASSWORD,
      QUERIES.map((q) => searchTerms(q.query)),
    );
    describeFill(ctx, 'SQLite', c, filled);
    const target = await Target.start(ctx, 'chat', { db: file });
    try {
      return await measure(ctx, target, 'SQLite', filled, reps);
    } finally {
      await stopTarget(ctx, target, 'search/sqlite');
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

async function onPostgres(ctx: Context, c: Corpus, reps: number): Promise<StoreFigures | null> {
  try {
    const { result } = await withClusterServices(ctx, 'search', async (services) => {
      const filled = await fillPostgres(
        services.dbUrl,
        c,
        PASSWORD,
        QUERIES.map((q) => searchTerms(q.query)),
      );
      describeFill(ctx, 'PostgreSQL', c, filled);
      const [node] = await startNodes(ctx, services, 1);
      try {
        return await measure(ctx, node!, 'PostgreSQL', filled, reps);
      } finally {
        await stopTarget(ctx, node!, 'search/postgres');
      }
    });
    return result;
  } catch (err) {
    if (!(err instanceof ScenarioSkipped)) throw err;
    ctx.log(`  PostgreSQL: skipped (${err.message})`);
    return null;
  }
}

function rows(count: number, reps: number, figures: StoreFigures[]): Row[] {
  return figures.flatMap((f) =>
    QUERIES.flatMap((q, i) =>
      (['p50', 'p99'] as const).map((p) =>
        row({
          name: `search-latency-${p}`,
          metric: `${f.store}: ${p} of search:run, ${q.label} ("${q.query}": ${f.filled.matches[i]} of the searcher's ${f.filled.readable} match), first page, ${count.toLocaleString('en-US')} stored`,
          value: f.queries[i]![p],
          unit: 'ms',
          baseline: f.history[p],
          note: `baseline: history:fetch of 20; ${reps} requests one after another`,
          detail: {
            store: f.store,
            query: q.query,
            matches: f.filled.matches[i]!,
            readable: f.filled.readable,
            stored: count,
            reps,
            fillSeconds: f.filled.seconds,
          },
        }),
      ),
    ),
  );
}

export const searchScenario: Scenario = {
  name: 'search',
  title: 'search:run p50/p99 on 1,000,000 stored messages (a rare word, a common word, two words), SQLite and PostgreSQL (chat only)',
  async run(ctx: Context) {
    const o = ctx.options;
    const count = o.tiny ? 5_000 : o.quick ? 100_000 : 1_000_000;
    const reps = o.tiny ? 5 : o.quick ? 50 : 200;
    const c = corpus(o.tiny ? 40 : 300, o.tiny ? 3 : 30, count);
    const figures = [await onSqlite(ctx, c, reps)];
    const onPg = await onPostgres(ctx, c, reps);
    if (onPg) figures.push(onPg);
    return rows(count, reps, figures);
  },
};
