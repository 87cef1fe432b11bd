/**
 * The server's light pieces: defaults and URL checks the command line shows in its help and checks
 * its arguments with. They live here, not in `@tui-chat/server`, because `tui-chat` installs
 * without the server (an optional peer): `--help` and `connect` must work where it is absent.
 * `@tui-chat/protocol/server-config`; the server imports them from here too.
 */

/** scrypt's cost parameters, as a password hash records them. */
export interface ScryptCost {
  /** CPU/memory cost, a power of two. */
  N: number;
  r: number;
  p: number;
}

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

/** A service URL as it may be shown in logs and the listening line: any password becomes `***`. */
export function redactUrl(url: string): string {
  // user:password@ in the authority (up to the first slash after "//"), the last @ ending it.
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/[^:@/]*:)[^/]*@/i, '$1***@');
}
