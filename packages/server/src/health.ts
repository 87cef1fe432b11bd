/**
 * GET /tui-chat/health for load balancers (HAProxy `option httpchk GET /tui-chat/health`): 200
 * when this node can reach its database and, in a cluster, Redis; 503 naming what it cannot
 * reach, so the balancer sends new clients to the other nodes meanwhile. One check at a time,
 * its answer kept for a second: however often it is asked, it costs the database one trivial
 * query a second at most.
 */
import type http from 'node:http';
import type { RedisBackend } from './cluster/redis.js';
import type { Store } from './store/types.js';

/** How long each check may take before it counts as out of reach. */
export const HEALTH_CHECK_TIMEOUT_MS = 1000;
/** How long an answer is kept. */
export const HEALTH_CACHE_MS = 1000;

type Check = 'ok' | 'unreachable' | 'none';
export interface Health {
  status: number;
  body: { ok: boolean; database: Check; redis: Check };
}

async function within(work: () => Promise<unknown>, ms: number): Promise<Check> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([work(), new Promise((_, reject) => (timer = setTimeout(() => reject(new Error('timeout')), ms)))]);
    return 'ok';
  } catch {
    return 'unreachable';
  } finally {
    clearTimeout(timer);
  }
}

async function check(store: Store, redis: RedisBackend | undefined): Promise<Health> {
  const [database, shared] = await Promise.all([
    store.ping ? within(() => store.ping!(), HEALTH_CHECK_TIMEOUT_MS) : Promise.resolve<Check>('ok'),
    !redis
      ? Promise.resolve<Check>('none')
      : redis.client.status !== 'ready'
        ? Promise.resolve<Check>('unreachable')
        : within(() => redis.client.ping(), HEALTH_CHECK_TIMEOUT_MS),
  ]);
  const ok = database === 'ok' && shared !== 'unreachable';
  return { status: ok ? 200 : 503, body: { ok, database, redis: shared } };
}

/** The health check of one server: one check at a time, its answer kept HEALTH_CACHE_MS after it came. */
export function healthCheck(store: Store, redis: RedisBackend | undefined): () => Promise<Health> {
  let last: { at: number; done: boolean; result: Promise<Health> } | null = null;
  return () => {
    if (last && (!last.done || Date.now() - last.at < HEALTH_CACHE_MS)) return last.result;
    const entry = { at: Date.now(), done: false, result: check(store, redis) };
    void entry.result.finally(() => {
      entry.done = true;
      entry.at = Date.now();
    });
    last = entry;
    return entry.result;
  };
}

export function answerHealth(res: http.ServerResponse, result: Health): void {
  res.writeHead(result.status, { 'content-type': 'application/json', 'cache-control': 'no-store' }).end(JSON.stringify(result.body));
}
