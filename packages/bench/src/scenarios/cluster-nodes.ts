/**
 * What the cluster scenarios share: the run's own PostgreSQL database and Redis prefix (opened,
 * then removed at the end, on an error and on Ctrl+C) and chat nodes started on them.
 */
import { Target, type Context } from '../harness.js';
import { onInterrupt } from '../procs.js';
import { openClusterServices, redact, ServiceUnavailable, type Cleaned, type ClusterServices } from '../cluster-services.js';
import { ScenarioSkipped } from './common.js';

/**
 * Starts `count` nodes side by side on the run's database and Redis prefix (with `extra` cluster
 * options, e.g. a presence TTL); if one fails, stops those that started.
 */
export async function startNodes(
  ctx: Context,
  services: ClusterServices,
  count: number,
  extra: { presenceTtlMs?: number } = {},
): Promise<Target[]> {
  const config = { cluster: { db: services.dbUrl, redis: services.redisUrl, prefix: services.prefix, ...extra } };
  const started = await Promise.allSettled(Array.from({ length: count }, () => Target.start(ctx, 'chat', config)));
  const nodes = started.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
  const failed = started.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (failed) {
    await Promise.all(nodes.map((n) => n.stop()));
    throw failed.reason;
  }
  return nodes;
}

/** The run's own database and Redis prefix, and whether they were removed, for a row's JSON detail. */
export function servicesDetail(services: ClusterServices, cleaned: Cleaned | null) {
  return {
    database: services.dbName,
    redisPrefix: services.prefix,
    databaseDropped: cleaned?.dropped ?? false,
    redisKeysDeleted: cleaned?.keysDeleted ?? null,
  };
}

/**
 * Opens PostgreSQL and Redis for a cluster scenario (ScenarioSkipped when either does not answer),
 * runs `body` on the run's own database and key prefix, and removes both afterwards: at the end,
 * on an error and on Ctrl+C.
 */
export async function withClusterServices<T>(
  ctx: Context,
  scenario: string,
  body: (services: ClusterServices) => Promise<T>,
): Promise<{ result: T; services: ClusterServices; cleaned: Cleaned | null }> {
  let services: ClusterServices;
  try {
    services = await openClusterServices(ctx.options.pgUrl, ctx.options.redisUrl);
  } catch (err) {
    if (err instanceof ServiceUnavailable) throw new ScenarioSkipped(err.message);
    throw err;
  }
  const off = onInterrupt(async () => {
    process.stderr.write(`bench: dropping the database ${services.dbName} and the Redis keys ${services.prefix}*\n`);
    await services.cleanup();
  });
  ctx.log(
    `  database ${services.dbName} on ${redact(ctx.options.pgUrl).replace(/\/[^/]*$/, '')}, Redis ${redact(services.redisUrl)} with key prefix ${services.prefix}`,
  );
  if (services.stale.databases || services.stale.keys) {
    ctx.log(`  removed what killed bench runs left: ${services.stale.databases} databases, ${services.stale.keys} Redis keys`);
  }
  let result: T;
  let cleaned: Cleaned | null = null;
  try {
    result = await body(services);
  } finally {
    try {
      cleaned = await services.cleanup();
      ctx.log(`  dropped ${cleaned.database}, deleted ${cleaned.keysDeleted} Redis keys under ${services.prefix}`);
    } catch (err) {
      process.stderr.write(`bench: ${scenario}: ${(err as Error).message}\n`);
    }
    off();
  }
  return { result, services, cleaned };
}
