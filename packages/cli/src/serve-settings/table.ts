/**
 * Every setting of `tui-chat serve`, once: its flag, environment variable and config-file key (all
 * three named after the setting: `idle-timeout` is `--idle-timeout`, TUI_CHAT_IDLE_TIMEOUT and
 * `idle-timeout = ...`), its parser, default and help. The command's options, its --help, the
 * environment lookup and the config file's keys all come from this table, so none can be missed.
 */
import { DEFAULT_REDIS_PREFIX } from '@tui-chat/protocol/server-config';
import { CliError } from '../errors.js';
import { defaultDb, parseChoice, parseDb, parsePort, parsePositiveInt, parseRedisUrl, type DbTarget } from '../options.js';

/** Names the config file when --config does not. */
export const CONFIG_ENV = 'TUI_CHAT_CONFIG';

export const LOG_LEVELS = ['debug', 'info', 'warn', 'error', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** What a config file holds for a setting: a TOML string, integer, or list of strings. */
export type TomlKind = 'string' | 'integer' | 'list';

export interface Setting<T, D extends T | undefined = T | undefined> {
  /** The flag's argument, as --help shows it: `--port <number>`. */
  readonly arg: string;
  readonly help: string;
  readonly toml: TomlKind;
  /** A file path: relative in a config file means relative to that file's folder. */
  readonly isPath?: boolean;
  /** The value when nothing sets it; undefined leaves it to the server's own default. */
  readonly fallback: (env: NodeJS.ProcessEnv) => D;
  /** The default as --help and the README say it (the server's own, when `fallback` gives undefined). */
  readonly defaultText?: string;
  /** A valid value (as a flag would take it), for the example config and the tests. */
  readonly example: string;
  /** The value from its text; a CliError starting with `label` when it is not one. */
  parse(raw: string, label: string): T;
}

const none = (): undefined => undefined;

function setting<T, D extends T | undefined = undefined>(row: Setting<T, D>): Setting<T, D> {
  return row;
}

function wholeNumber(opts: { max?: number; tooBig?: string; min?: number; tooSmall?: string } = {}) {
  return (raw: string, label: string): number => {
    const n = parsePositiveInt(raw, label);
    if (opts.max !== undefined && n > opts.max) throw new CliError(`${label} ${opts.tooBig!.replace('$raw', raw)}.`);
    if (opts.min !== undefined && n < opts.min) throw new CliError(`${label} ${opts.tooSmall!.replace('$raw', raw)}.`);
    return n;
  };
}

function parseHost(raw: string, label: string): string {
  if (raw.trim() === '' || /\s/.test(raw)) throw new CliError(`${label} must be an address or host name, got "${raw}".`);
  return raw;
}

function nonEmpty(raw: string, label: string): string {
  if (raw.trim() === '') throw new CliError(`${label} needs a value, got an empty string.`);
  return raw;
}

/** Keyed by the name commander gives the flag (`--db-pool` is `dbPool`). */
export const SERVE_SETTINGS = {
  host: setting({
    arg: '<address>',
    help: 'address to listen on (0.0.0.0 or :: for every interface)',
    toml: 'string',
    fallback: () => '127.0.0.1',
    defaultText: '127.0.0.1',
    example: '0.0.0.0',
    parse: parseHost,
  }),
  port: setting({
    arg: '<number>',
    help: 'TCP port; 0 picks a free one',
    toml: 'integer',
    fallback: () => 4000,
    defaultText: '4000',
    example: '4100',
    parse: parsePort,
  }),
  db: setting<DbTarget, DbTarget>({
    arg: '<path|url>',
    help: 'SQLite database file, or postgres://user@host:5432/database for a cluster',
    toml: 'string',
    isPath: true,
    fallback: defaultDb,
    defaultText: '$XDG_DATA_HOME/tui-chat/tui-chat.db',
    example: '/var/lib/tui-chat/tui-chat.db',
    parse: parseDb,
  }),
  dbPool: setting({
    arg: '<n>',
    help: 'with a postgres:// database: connections this node keeps to it',
    toml: 'integer',
    fallback: none,
    defaultText: '10',
    example: '10',
    parse: wholeNumber({ max: 1000, tooBig: 'must be at most 1000, got "$raw"' }),
  }),
  redis: setting({
    arg: '<url>',
    help: 'cluster mode: redis://host:6379 shared by every node',
    toml: 'string',
    fallback: none,
    example: 'redis://127.0.0.1:6379',
    parse: parseRedisUrl,
  }),
  redisPrefix: setting({
    arg: '<prefix>',
    help: 'with redis: the start of every Redis key; one per cluster',
    toml: 'string',
    fallback: none,
    defaultText: DEFAULT_REDIS_PREFIX,
    example: 'chat-eu:',
    parse: nonEmpty,
  }),
  presenceTtl: setting({
    arg: '<ms>',
    help: 'with redis: a node silent this long counts as dead, its users offline',
    toml: 'integer',
    fallback: none,
    defaultText: '15000',
    example: '15000',
    parse: wholeNumber({ min: 300, tooSmall: 'must be at least 300 ms, got "$raw"' }),
  }),
  registration: setting({
    arg: '<mode>',
    help: 'open: anyone may create an account; closed: only `tui-chat user add`',
    toml: 'string',
    fallback: () => 'open' as const,
    defaultText: 'open',
    example: 'closed',
    parse: (raw, label) => parseChoice(raw, ['open', 'closed'] as const, label),
  }),
  idleTimeout: setting({
    arg: '<seconds>',
    help: 'log a session out after this long without a command',
    toml: 'integer',
    fallback: none,
    defaultText: '1800',
    example: '1800',
    parse: wholeNumber(),
  }),
  lockoutAttempts: setting({
    arg: '<n>',
    help: 'wrong passwords in a row before a name is locked from an address',
    toml: 'integer',
    fallback: none,
    defaultText: '3',
    example: '3',
    parse: wholeNumber(),
  }),
  lockoutSeconds: setting({
    arg: '<seconds>',
    help: 'how long that lock lasts',
    toml: 'integer',
    fallback: none,
    defaultText: '60',
    example: '60',
    parse: wholeNumber(),
  }),
  loginDeadline: setting({
    arg: '<seconds>',
    help: 'close a connection that has not logged in this long after it opened',
    toml: 'integer',
    fallback: none,
    defaultText: '10',
    example: '10',
    parse: wholeNumber(),
  }),
  ipv6Prefix: setting({
    arg: '<bits>',
    help: 'limits and lockouts count an IPv6 client by its network of this many bits (128: each address)',
    toml: 'integer',
    fallback: none,
    defaultText: '64',
    example: '64',
    parse: wholeNumber({ max: 128, tooBig: 'takes 1 to 128 bits, not "$raw"' }),
  }),
  pingInterval: setting({
    arg: '<ms>',
    help: 'keep-alive ping every this many ms',
    toml: 'integer',
    fallback: none,
    defaultText: '25000',
    example: '25000',
    parse: wholeNumber(),
  }),
  pingTimeout: setting({
    arg: '<ms>',
    help: 'drop a client that misses a ping by this many ms',
    toml: 'integer',
    fallback: none,
    defaultText: '20000',
    example: '20000',
    parse: wholeNumber(),
  }),
  tlsCert: setting({
    arg: '<file>',
    help: 'serve over TLS (wss://) with this PEM certificate chain; needs tls-key',
    toml: 'string',
    isPath: true,
    fallback: none,
    example: '/etc/tui-chat/cert.pem',
    parse: nonEmpty,
  }),
  tlsKey: setting({
    arg: '<file>',
    help: 'the PEM private key for tls-cert',
    toml: 'string',
    isPath: true,
    fallback: none,
    example: '/etc/tui-chat/key.pem',
    parse: nonEmpty,
  }),
  proxyProtocol: setting({
    arg: '<addresses>',
    help:
      'behind TCP load balancers that send the PROXY protocol header (HAProxy send-proxy, nginx proxy_protocol): their addresses ' +
      'or networks, comma-separated (a list in the config file); lockouts and limits then count the client address in the header',
    toml: 'list',
    fallback: none,
    example: '10.0.0.10,10.0.0.0/24',
    parse: (raw) => raw.split(',').map((a) => a.trim()),
  }),
  logLevel: setting({
    arg: '<level>',
    help: `server log on stderr: ${LOG_LEVELS.join(', ')}`,
    toml: 'string',
    fallback: () => 'info' as const,
    defaultText: 'info',
    example: 'warn',
    parse: (raw, label) => parseChoice(raw, LOG_LEVELS, label),
  }),
};

export type SettingName = keyof typeof SERVE_SETTINGS;
export const SETTING_NAMES = Object.keys(SERVE_SETTINGS) as SettingName[];

/** The resolved value of each setting; undefined where the server keeps its own default. */
export type ServeSettings = {
  [K in SettingName]: (typeof SERVE_SETTINGS)[K] extends Setting<infer T, infer D> ? T | D : never;
};

/** `dbPool` -> `db-pool`: the flag (after --) and the config-file key. */
export const keyOf = (name: SettingName): string => name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
/** `dbPool` -> TUI_CHAT_DB_POOL. */
export const envOf = (name: SettingName): string => `TUI_CHAT_${keyOf(name).replace(/-/g, '_').toUpperCase()}`;
