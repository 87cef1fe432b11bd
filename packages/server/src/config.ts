/**
 * The server's light pieces: constants and URL checks the command line needs for its help and
 * its argument checks, without loading the server itself (SQLite, PostgreSQL, Redis, socket.io).
 * `@tui-chat/server/config`; the heavy modules import these from here.
 */
import type { PasswordCost } from './auth/passwords.js';

export { redactUrl } from './redact.js';

/**
 * Argon2id at OWASP's first choice: m=19 MiB, t=2, p=1 (about 10-20 ms and 19 MiB per hash here,
 * against 0.4-0.7 s and 128 MiB for the scrypt N=2^17 it replaces, at the same protection level).
 */
export const DEFAULT_PASSWORD_COST: PasswordCost = { memoryKiB: 19 * 1024, passes: 2, parallelism: 1 };

/** A cost for tests and benchmarks only (TUI_CHAT_PASSWORD_COST=low): the least Argon2id accepts but one pass. */
export const LOW_PASSWORD_COST: PasswordCost = { memoryKiB: 64, passes: 1, parallelism: 1 };

/** Every Redis key of a cluster starts with this unless told otherwise. */
export const DEFAULT_REDIS_PREFIX = 'tui-chat:';

export function isPostgresUrl(s: string): boolean {
  return /^postgres(ql)?:\/\//i.test(s);
}

export function isRedisUrl(s: string): boolean {
  return /^rediss?:\/\//i.test(s);
}
