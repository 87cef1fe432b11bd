/**
 * Failures of what the server depends on (its cluster's Redis, its database) rather than of the
 * request: answered `unavailable` with a sentence saying which, so clients try again later
 * instead of reporting a server fault.
 */
import { ClusterUnavailableError } from './cluster/redis.js';
import type { ServerContext } from './context.js';

/** Seconds a client waits before trying again. */
export const UNAVAILABLE_RETRY_S = 2;

/** The sentence for `err` when it is such a failure, else null. */
export function unavailableMessage(ctx: ServerContext, err: unknown): string | null {
  if (err instanceof ClusterUnavailableError) {
    return 'The server cannot reach the rest of its cluster (Redis) just now; nothing was changed. Try again in a moment.';
  }
  // Not "nothing was changed": a commit cut off halfway may have gone through (a resend is stored once).
  if (ctx.store.unreachable?.(err)) return 'The server cannot reach its database just now; try again in a moment.';
  return null;
}
