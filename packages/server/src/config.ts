/**
 * The server's light pieces: constants and URL checks the command line needs for its help and
 * its argument checks, without loading the server itself (SQLite, PostgreSQL, Redis, socket.io).
 * `@tui-chat/server/config`; the heavy modules import these from here.
 */
import type { ScryptCost } from './auth/passwords.js';

export { redactUrl } from './redact.js';

/** The cost the design asks for: N=2^17, r=8, p=1 (128 MiB and a few hundred ms per hash). */
export const DEFAULT_SCRYPT_COST: ScryptCost = { N: 2 ** 17, r: 8, p: 1 };

/** Every Redis key of a cluster starts with this unless told otherwise. */
export const DEFAULT_REDIS_PREFIX = 'tui-chat:';

export function isPostgresUrl(s: string): boolean {
  return /^postgres(ql)?:\/\//i.test(s);
}

export function isRedisUrl(s: string): boolean {
  return /^rediss?:\/\//i.test(s);
}
