/**
 * GET /tui-chat/health for load balancers (HAProxy `option httpchk GET /tui-chat/health`): 200
 * when this node can reach its database and, in a cluster, Redis; 503 naming what it cannot
 * reach, so the balancer sends new clients to the other nodes meanwhile.
 */
import type http from 'node:http';
import type { RedisBackend } from './cluster/redis.js';
import type { Store } from './store/types.js';

/** How long each check may take before it counts as out of reach. */
export const HEALTH_CHECK_TIMEOUT_MS = 1000;

type Check = 'ok' | 'unreachable' | 'none';

async function within(work: Promise<unknown>, ms: number): Promise<Check> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([work, new Promise((_, reject) => (timer = setTimeout(() => reject(new Error('timeout')), ms)))]);
    return 'ok';
  } catch {
    return 'unreachable';
  } finally {
    clearTimeout(timer);
  }
}

export async function health(store: Store, redis: RedisBackend | undefined, connections: () => number): Promise<{ status: number; body: object }> {
  const [database, shared] = await Promise.all([
    store.ping ? within(store.ping(), HEALTH_CHECK_TIMEOUT_MS) : Promise.resolve<Check>('ok'),
    redis ? (redis.client.status === 'ready' ? within(redis.client.ping(), HEALTH_CHECK_TIMEOUT_MS) : Promise.resolve<Check>('unreachable')) : Promise.resolve<Check>('none'),
  ]);
  const ok = database === 'ok' && shared !== 'unreachable';
  return { status: ok ? 200 : 503, body: { ok, database, redis: shared, connections: connections() } };
}

export function answerHealth(res: http.ServerResponse, result: { status: number; body: object }): void {
  res.writeHead(result.status, { 'content-type': 'application/json', 'cache-control': 'no-store' }).end(JSON.stringify(result.body));
}
