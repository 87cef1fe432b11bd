/** Option values checked once, with messages that name the flag and the value given. */
import os from 'node:os';
import path from 'node:path';
import { DEFAULT_SCRYPT_COST, isPostgresUrl, isRedisUrl, redactUrl, type ScryptCost } from '@tui-chat/protocol/server-config';
import { CliError } from './errors.js';

export function parsePort(raw: string, label = '--port'): number {
  const n = /^\d+$/.test(raw.trim()) ? Number(raw.trim()) : NaN;
  if (!Number.isInteger(n) || n < 0 || n > 65535) {
    throw new CliError(`${label} must be a whole number from 0 to 65535, got "${raw}".`);
  }
  return n;
}

export function parsePositiveInt(raw: string, label: string): number {
  const n = /^\d+$/.test(raw.trim()) ? Number(raw.trim()) : NaN;
  if (!Number.isSafeInteger(n) || n < 1) {
    throw new CliError(`${label} must be a whole number of at least 1, got "${raw}".`);
  }
  return n;
}

export function parseChoice<T extends string>(raw: string, choices: readonly T[], label: string): T {
  if ((choices as readonly string[]).includes(raw)) return raw as T;
  throw new CliError(`${label} must be one of ${choices.join(', ')}, got "${raw}".`);
}

/** Where the data lives: a SQLite file, or a PostgreSQL database for a cluster. */
export type DbTarget = { kind: 'sqlite'; path: string } | { kind: 'postgres'; url: string };

/** How a database is named in output: the file path, or the URL with any password hidden. */
export const shownDb = (db: DbTarget): string => (db.kind === 'sqlite' ? db.path : redactUrl(db.url));

/** `--db`, else TUI_CHAT_DB: a postgres:// URL, or a file path (default in the user's data directory). */
export function resolveDb(flag: string | undefined, env: NodeJS.ProcessEnv = process.env): DbTarget {
  const given = flag ?? env.TUI_CHAT_DB;
  return given === undefined ? defaultDb(env) : parseDb(given, flag !== undefined ? '--db' : 'TUI_CHAT_DB');
}

/** A database as given (by `label`: a flag, a variable or a config file's line). */
export function parseDb(given: string, label: string): DbTarget {
  const trimmed = given.trim();
  if (isPostgresUrl(trimmed)) {
    let parsed: URL;
    try {
      parsed = new URL(trimmed);
    } catch {
      throw new CliError(
        `${label} ${redactUrl(trimmed)} is not a valid PostgreSQL URL; write postgres://user[:password]@host[:port]/database.`,
      );
    }
    if (parsed.pathname.replace(/^\//, '') === '') {
      throw new CliError(`${label} ${redactUrl(trimmed)} names no database; write postgres://user@host:5432/database.`);
    }
    return { kind: 'postgres', url: trimmed };
  }
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(trimmed)) {
    throw new CliError(`${label} ${redactUrl(trimmed)} is neither a file path nor a postgres:// URL.`);
  }
  if (trimmed === '') throw new CliError(`${label} needs a file path, got an empty string.`);
  return { kind: 'sqlite', path: path.resolve(given) };
}

/** The SQLite file in the user's data directory (XDG), when no database is given. */
export function defaultDb(env: NodeJS.ProcessEnv = process.env): DbTarget {
  const dataHome = env.XDG_DATA_HOME && path.isAbsolute(env.XDG_DATA_HOME) ? env.XDG_DATA_HOME : path.join(os.homedir(), '.local', 'share');
  return { kind: 'sqlite', path: path.join(dataHome, 'tui-chat', 'tui-chat.db') };
}

/** A cluster's Redis: a redis:// or rediss:// URL. */
export function parseRedisUrl(given: string, label: string): string {
  const url = given.trim();
  if (!isRedisUrl(url)) throw new CliError(`${label} must be a redis:// or rediss:// URL, got "${redactUrl(url)}".`);
  try {
    const u = new URL(url);
    if (!u.hostname) throw new Error('no host');
  } catch {
    throw new CliError(`${label} ${redactUrl(url)} is not a valid Redis URL; write redis://[:password@]host[:port][/db].`);
  }
  return url;
}

const SCRYPT_N_MIN = 1024;
const SCRYPT_N_MAX = 2 ** 20;

/** TUI_CHAT_SCRYPT_N lowers the hashing cost for tests and benchmarks only; the default is the real one. */
export function scryptCostFromEnv(env: NodeJS.ProcessEnv = process.env): ScryptCost {
  const raw = env.TUI_CHAT_SCRYPT_N;
  if (raw === undefined || raw === '') return DEFAULT_SCRYPT_COST;
  const n = /^\d+$/.test(raw) ? Number(raw) : NaN;
  const powerOfTwo = Number.isInteger(n) && n > 0 && (n & (n - 1)) === 0;
  if (!powerOfTwo || n < SCRYPT_N_MIN || n > SCRYPT_N_MAX) {
    throw new CliError(`TUI_CHAT_SCRYPT_N must be a power of two from ${SCRYPT_N_MIN} to ${SCRYPT_N_MAX}, got "${raw}".`);
  }
  return { ...DEFAULT_SCRYPT_COST, N: n };
}

/** Help text shared by every command that hashes passwords. */
export const SCRYPT_ENV_HELP = 'TUI_CHAT_SCRYPT_N  lower scrypt cost (power of two >= 1024) for tests and benchmarks only';
