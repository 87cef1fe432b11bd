/**
 * The server's light pieces: defaults and URL checks the command line shows in its help and checks
 * its arguments with. They live here, not in `@tui-chat/server`, because `tui-chat` installs
 * without the server (an optional peer): `--help` and `connect` must work where it is absent.
 * `@tui-chat/protocol/server-config`; the server imports them from here too.
 */

/** Argon2id's cost: memory in KiB, passes over it, lanes. */
export interface PasswordCost {
  memoryKiB: number;
  passes: number;
  parallelism: number;
}

/**
 * Argon2id at OWASP's first choice: m=19 MiB, t=2, p=1 (tens of ms and 19 MiB per hash here,
 * against 0.4-1.5 s and 128 MiB for the scrypt N=2^17 it replaces, at the same protection level).
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

/** A service URL as it may be shown in logs and the listening line: any password becomes `***`. */
export function redactUrl(url: string): string {
  // user:password@ in the authority (up to the first slash after "//"), the last @ ending it.
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/[^:@/]*:)[^/]*@/i, '$1***@');
}

/**
 * The Node flags the server runs best with: V8's young generation at 64 MB a semi-space. Every
 * message waits in memory for its group commit (a few ms, thousands at a time under load), so
 * much of what a message allocates survives a scavenge or two; in Node 20's 16 MB semi-spaces it
 * is copied and promoted to the old generation, and the collector took 29% of the server's time
 * in the dm-throughput bench (10% at 64 MB, the size Node 22 and later grow to by themselves on a
 * machine with enough memory). V8 sizes the space when the process starts, so they go in
 * NODE_OPTIONS (deploy/tui-chat.service); the bench starts its servers with them.
 */
export const SERVER_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=64'];
