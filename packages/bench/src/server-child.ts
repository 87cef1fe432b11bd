/**
 * The server under test, alone in its own process: either the tui-chat server (createChatServer
 * from the built @tui-chat/server, a temporary SQLite file or, in cluster mode, a PostgreSQL
 * database and Redis; rate limits raised so they do not cap the load, except those a scenario
 * gives in `limits`) or the raw `ws` relay.
 * The harness asks it for memory and CPU figures over IPC.
 *
 *   node server-child.js '{"kind":"chat","passwordCost":"cheap"}'
 *   node server-child.js '{"kind":"chat","cluster":{"db":"postgres://...","redis":"redis://...","prefix":"p:"}}'
 */
import { createRequire } from 'node:module';
import fs from 'node:fs';
import inspector from 'node:inspector';
import v8 from 'node:v8';
import os from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import type { ChatServer } from '@tui-chat/server';
import { emitToParent, serve } from './child.js';
import { threadCpu } from './cpu.js';
import { createRelay, type Relay } from './relay.js';
import { createSioRelay } from './sio-relay.js';
import { LOW_PASSWORD_COST } from '@tui-chat/server/config';
import { CHEAP_SCRYPT_ERA, RAISED_LIMITS, type IndexCatchUp, type ServerChildConfig, type ServerStats } from './server-config.js';

async function main(): Promise<void> {
  const config = JSON.parse(process.argv[2] ?? '{}') as ServerChildConfig;
  const dir = fs.mkdtempSync(path.join(process.env.TUI_CHAT_BENCH_TMP ?? os.tmpdir(), 'tui-chat-bench-'));
  let chat: ChatServer | null = null;
  let relay: Pick<Relay, 'connections' | 'close'> | null = null;
  let port: number;
  /** When the chat server was listening (ms, performance.timeOrigin + now: the clock of the load processes). */
  let listeningAt: number | null = null;

  // The built @tui-chat/server, or another build of it (--server-module, for before/after figures).
  const server: typeof import('@tui-chat/server') = await import(
    config.serverModule ? pathToFileURL(path.resolve(config.serverModule)).href : '@tui-chat/server'
  );
  const { createChatServer } = server;
  // A build from the scrypt era (before Argon2id) takes its cost as `scryptCost` and scrypt's parameters.
  const scryptEra = !('DEFAULT_PASSWORD_COST' in server);
  const cheap = scryptEra ? (CHEAP_SCRYPT_ERA as never) : LOW_PASSWORD_COST;
  const hashPassword = server.hashPassword as (password: string, cost?: unknown) => Promise<string>;
  const serverCost = config.passwordCost === 'default' ? undefined : cheap;
  if (config.kind === 'chat') {
    // Cluster mode: the shared PostgreSQL database and Redis (a key prefix of this run), as
    // `tui-chat serve --db postgres://... --redis redis://... --redis-prefix P` opens them.
    const cluster = config.cluster
      ? {
          store: await server.PostgresStore.open(config.cluster.db, {
            onError: (err) => process.stderr.write(`bench server child: database: ${err.message}\n`),
          }),
          redis: await server.connectRedis(config.cluster.redis, {
            prefix: config.cluster.prefix,
            onError: (err) => process.stderr.write(`bench server child: Redis: ${err.message}\n`),
          }),
        }
      : {};
    chat = createChatServer({
      ...(config.cluster ? cluster : { db: config.db ?? path.join(dir, 'bench.db') }),
      ...(scryptEra ? { scryptCost: serverCost } : { passwordCost: serverCost }),
      // The server's own defaults when asked (a scenario about the limits themselves).
      limits: config.defaultLimits ? config.limits : { ...RAISED_LIMITS, ...config.limits },
      port: config.port,
      pingIntervalMs: config.pingIntervalMs,
      presenceTtlMs: config.cluster?.presenceTtlMs,
    });
    port = (await chat.listen()).port;
    listeningAt = performance.timeOrigin + performance.now();
  } else if (config.kind === 'sio-relay') {
    const r = createSioRelay();
    port = (await r.listen()).port;
    relay = r;
  } else {
    const r = createRelay();
    port = (await r.listen()).port;
    relay = r;
  }

  let profiler: inspector.Session | null = null;
  const post = <T>(method: string, params?: object): Promise<T> =>
    new Promise((resolve, reject) => profiler!.post(method, params ?? {}, (err, result) => (err ? reject(err) : resolve(result as T))));

  let lastElu = performance.eventLoopUtilization();
  // How late the event loop runs what is due: what a message arriving at a busy moment waits.
  const loopDelay = monitorEventLoopDelay({ resolution: 1 });
  loopDelay.enable();
  let lastCpu = process.cpuUsage();
  let lastThreadCpu = threadCpu();
  let lastWall = performance.now();

  serve(
    {
      /**
       * Creates accounts directly in the store, all with one password hashed once. `cost` 'cheap'
       * hashes at the tests' cost even on a server whose own cost is the default: a stored hash carries its
       * parameters, so those users log in cheaply while new hashes use the server's cost.
       */
      seed: async ({ names, password, cost }: { names: string[]; password: string; cost?: 'cheap' | 'server' }) => {
        if (!chat) return { created: 0 };
        const hash = await hashPassword(password, cost === 'cheap' ? cheap : serverCost);
        let created = 0;
        const now = Date.now();
        const insertAll = () => {
          // createUser does its work synchronously before its first await, so it fits in a transaction.
          const pending = names.map((name) => chat!.store.createUser(name, hash, now));
          return pending;
        };
        // Seeding only: one transaction instead of one fsync per account when the store is SQLite.
        // PostgreSQL (cluster mode): the inserts go through the store's pool, its connections
        // committing side by side. Seed once, on one node: the nodes share the database.
        const db = (chat.store as unknown as { db?: { transaction?: (fn: () => unknown) => () => unknown } }).db;
        const pending = typeof db?.transaction === 'function' ? (db.transaction(insertAll)() as Promise<boolean>[]) : insertAll();
        for (const ok of await Promise.all(pending)) if (ok) created++;
        return { created };
      },
      /** The deferred search indexing, done now and measured (see Target.indexCatchUp). */
      'index-catch-up': async (): Promise<IndexCatchUp | null> => {
        const db = (chat?.store as unknown as { db?: { prepare?: (sql: string) => { pluck(): { get(): unknown } } } } | undefined)?.db;
        if (typeof db?.prepare !== 'function') return null;
        // A build from before the index trailed the messages (--server-module) has none to catch up.
        if (!db.prepare("SELECT 1 FROM sqlite_master WHERE name = 'search_progress'").pluck().get()) return null;
        const behind = db
          .prepare('SELECT (SELECT COALESCE(MAX(id), 0) FROM messages) - indexed_upto FROM search_progress')
          .pluck()
          .get() as number;
        const cpu = process.cpuUsage();
        const start = performance.now();
        // A search waits for the index to hold every message (and is itself ~nothing next to it).
        await chat!.store.search('index-catch-up', ['x'], { limit: 1 });
        const used = process.cpuUsage(cpu);
        return { behind, seconds: (performance.now() - start) / 1000, cpuSeconds: (used.user + used.system) / 1e6 };
      },
      /** Writes a heap snapshot (for finding what each connection costs). */
      'heap-snapshot': async ({ file }: { file: string }) => {
        (globalThis as { gc?: () => void }).gc?.();
        return v8.writeHeapSnapshot(file);
      },
      'profile-start': async ({ intervalUs }: { intervalUs?: number }) => {
        profiler = new inspector.Session();
        profiler.connect();
        await post('Profiler.enable');
        await post('Profiler.setSamplingInterval', { interval: intervalUs ?? 1000 });
        await post('Profiler.start');
        return true;
      },
      'profile-stop': async ({ file }: { file: string }) => {
        if (!profiler) return null;
        const { profile } = await post<{ profile: unknown }>('Profiler.stop');
        profiler.disconnect();
        profiler = null;
        fs.writeFileSync(file, JSON.stringify(profile));
        return file;
      },
      gc: async () => {
        const gc = (globalThis as { gc?: () => void }).gc;
        if (gc) {
          for (let i = 0; i < 3; i++) {
            gc();
            await new Promise((r) => setImmediate(r));
          }
        }
        return true;
      },
      stats: (): ServerStats => {
        const mem = process.memoryUsage();
        const elu = performance.eventLoopUtilization(lastElu);
        lastElu = performance.eventLoopUtilization();
        const cpu = process.cpuUsage(lastCpu);
        lastCpu = process.cpuUsage();
        const mainCpu = threadCpu();
        const delay = { p99: loopDelay.percentile(99) / 1e6, max: loopDelay.max / 1e6 };
        loopDelay.reset(); // each call reports the interval since the previous one
        const mainThreadCpuSeconds = mainCpu !== null && lastThreadCpu !== null ? mainCpu - lastThreadCpu : null;
        lastThreadCpu = mainCpu;
        const now = performance.now();
        const wallSeconds = (now - lastWall) / 1000;
        lastWall = now;
        return {
          rss: mem.rss,
          heapUsed: mem.heapUsed,
          heapTotal: mem.heapTotal,
          youngGeneration: v8.getHeapSpaceStatistics().find((sp) => sp.space_name === 'new_space')?.physical_space_size ?? 0,
          external: mem.external,
          arrayBuffers: mem.arrayBuffers,
          elu: elu.utilization,
          cpuSeconds: (cpu.user + cpu.system) / 1e6,
          mainThreadCpuSeconds,
          loopDelay: delay,
          wallSeconds,
          connections: chat ? chat.io.engine.clientsCount : relay!.connections(),
          writer: chat ? { ...chat.context.writer.stats } : undefined,
          guard: chat ? { ...chat.context.connections.counts } : undefined,
        };
      },
    },
    async () => {
      try {
        await chat?.close();
        await relay?.close();
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    },
  );
  emitToParent('ready', { port, listeningAt, pid: process.pid, patches: chat ? await serverPatches(config.serverModule) : [] });
}

/** Which of the server's fenced patches are in (an older build without the fence: none known). */
async function serverPatches(serverModule: string | undefined): Promise<{ name: string; active: boolean; reason?: string }[]> {
  try {
    const entry = serverModule ? pathToFileURL(path.resolve(serverModule)).href : import.meta.resolve('@tui-chat/server');
    // The fence module as that server build sees it (@tui-chat/protocol/fence next to it).
    const fence = (await import(pathToFileURL(createRequire(entry).resolve('@tui-chat/protocol/fence')).href)) as {
      patchStatuses?: () => { name: string; active: boolean; reason?: string }[];
    };
    return fence.patchStatuses?.() ?? [];
  } catch {
    return [];
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`bench server child: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
