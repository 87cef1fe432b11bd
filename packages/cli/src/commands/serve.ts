/** `tui-chat serve`: runs the chat server until SIGINT or SIGTERM. */
import fs from 'node:fs';
import type { Command } from 'commander';
import type { ChatServer, RedisBackend, Store } from '@tui-chat/server';
import { DEFAULT_REDIS_PREFIX } from '@tui-chat/server/config';
import { CliError, errnoCode } from '../errors.js';
import type { Runner } from './user/common.js';
import {
  parseChoice,
  parsePort,
  parsePositiveInt,
  resolveDb,
  resolveRedis,
  passwordCostFromEnv,
  shownDb,
  PASSWORD_COST_ENV_HELP,
} from '../options.js';

interface ServeFlags {
  host?: string;
  port?: string;
  db?: string;
  redis?: string;
  redisPrefix?: string;
  presenceTtl?: string;
  registration: string;
  idleTimeout?: string;
  lockoutAttempts?: string;
  lockoutSeconds?: string;
  logLevel: string;
  pingInterval?: string;
  pingTimeout?: string;
  tlsCert?: string;
  tlsKey?: string;
  proxyProtocol?: string;
  dbPool?: string;
  ipv6Prefix?: string;
  loginDeadline?: string;
}

const LOG_LEVELS = ['debug', 'info', 'warn', 'error', 'silent'] as const;

export function registerServe(program: Command, run: Runner): void {
  program
    .command('serve')
    .description('run a chat server')
    .option('--host <address>', 'address to listen on (env TUI_CHAT_HOST, default 127.0.0.1)')
    .option('--port <number>', 'TCP port; 0 picks a free one (env TUI_CHAT_PORT, default 4000)')
    .option(
      '--db <path|url>',
      'SQLite database file, or postgres://user@host:5432/database for a cluster (env TUI_CHAT_DB, default $XDG_DATA_HOME/tui-chat/tui-chat.db)',
    )
    .option('--db-pool <n>', 'with a postgres:// --db: connections this node keeps to the database (env TUI_CHAT_DB_POOL, default 10)')
    .option('--redis <url>', 'cluster mode: redis://host:6379 shared by every node (env TUI_CHAT_REDIS)')
    .option(
      '--redis-prefix <prefix>',
      `with --redis: the start of every Redis key; one per cluster (env TUI_CHAT_REDIS_PREFIX, default ${DEFAULT_REDIS_PREFIX})`,
    )
    .option('--presence-ttl <ms>', 'with --redis: a node silent this long counts as dead, its users offline (default 15000)')
    .option('--registration <mode>', 'open: anyone may create an account; closed: only `tui-chat user add`', 'open')
    .option('--idle-timeout <seconds>', 'log a session out after this long without a command (default 1800)')
    .option('--lockout-attempts <n>', 'wrong passwords in a row before a name is locked from an address (default 3)')
    .option('--lockout-seconds <n>', 'how long that lock lasts (default 60)')
    .option('--login-deadline <seconds>', 'close a connection that has not logged in this long after it opened (default 10)')
    .option(
      '--ipv6-prefix <bits>',
      'limits and lockouts count an IPv6 client by its network of this many bits (default 64; 128: each address)',
    )
    .option('--ping-interval <ms>', 'keep-alive ping every this many ms (default 25000)')
    .option('--ping-timeout <ms>', 'drop a client that misses a ping by this many ms (default 20000)')
    .option('--tls-cert <file>', 'serve over TLS (wss://) with this PEM certificate chain; needs --tls-key')
    .option('--tls-key <file>', 'the PEM private key for --tls-cert')
    .option(
      '--proxy-protocol <addresses>',
      'behind TCP load balancers that send the PROXY protocol header (HAProxy send-proxy, nginx proxy_protocol): their addresses or networks, comma-separated; lockouts and limits then count the client address in the header (env TUI_CHAT_PROXY_PROTOCOL)',
    )
    .option('--log-level <level>', `server log on stderr: ${LOG_LEVELS.join(', ')}`, 'info')
    .addHelpText(
      'after',
      `
Prints one line on stdout once listening; logs go to stderr. SIGINT or SIGTERM stops it cleanly
(a second signal forces the exit).

Cluster mode: run several servers on one PostgreSQL database and one Redis; clients connect to
any of them (tui-chat connect host1:4000,host2:4000) or to a TCP load balancer in front of them.

Environment:
  TUI_CHAT_DB, TUI_CHAT_REDIS, TUI_CHAT_REDIS_PREFIX, TUI_CHAT_HOST, TUI_CHAT_PORT,
  TUI_CHAT_PROXY_PROTOCOL, TUI_CHAT_DB_POOL  as the flags
  ${PASSWORD_COST_ENV_HELP}

Examples:
  tui-chat serve
  tui-chat serve --host 0.0.0.0 --port 4000 --registration closed
  tui-chat serve --port 0 --db /tmp/chat.db --log-level warn
  tui-chat serve --host 0.0.0.0 --tls-cert cert.pem --tls-key key.pem
  tui-chat serve --port 4001 --db postgres://postgres@127.0.0.1:5432/chat --redis redis://127.0.0.1:6379
  tui-chat serve --host 0.0.0.0 --proxy-protocol 10.0.0.10,10.0.0.11`,
    )
    .action((flags: ServeFlags) => run(() => serve(flags)));
}

async function serve(flags: ServeFlags): Promise<number> {
  // The server, SQLite and the logger load here, not with the command line: --help and connect never need them.
  const [{ connectRedis, createChatServer, normalizePrefix, RedisConnectError, trustedProxies }, { openAnyStore }, { pino }] =
    await Promise.all([import('@tui-chat/server'), import('../open-store.js'), import('pino')]);
  const env = process.env;
  const host = flags.host ?? env.TUI_CHAT_HOST ?? '127.0.0.1';
  if (host.trim() === '' || /\s/.test(host)) throw new CliError(`--host must be an address or host name, got "${host}".`);
  const bindHost = host.replace(/^\[(.*)\]$/, '$1');
  const port = flags.port !== undefined ? parsePort(flags.port) : env.TUI_CHAT_PORT ? parsePort(env.TUI_CHAT_PORT, 'TUI_CHAT_PORT') : 4000;
  const registration = parseChoice(flags.registration, ['open', 'closed'] as const, '--registration');
  const logLevel = parseChoice(flags.logLevel, LOG_LEVELS, '--log-level');
  const optionalInt = (raw: string | undefined, label: string) => (raw === undefined ? undefined : parsePositiveInt(raw, label));
  const idleTimeoutSeconds = optionalInt(flags.idleTimeout, '--idle-timeout');
  const lockoutAttempts = optionalInt(flags.lockoutAttempts, '--lockout-attempts');
  const lockoutSeconds = optionalInt(flags.lockoutSeconds, '--lockout-seconds');
  const pingIntervalMs = optionalInt(flags.pingInterval, '--ping-interval');
  const loginDeadlineSeconds = optionalInt(flags.loginDeadline, '--login-deadline');
  const ipv6Prefix = optionalInt(flags.ipv6Prefix, '--ipv6-prefix');
  if (ipv6Prefix !== undefined && ipv6Prefix > 128) throw new CliError(`--ipv6-prefix takes 1 to 128 bits, not "${flags.ipv6Prefix}".`);
  const pingTimeoutMs = optionalInt(flags.pingTimeout, '--ping-timeout');
  const tls = readTls(flags.tlsCert, flags.tlsKey);
  const passwordCost = passwordCostFromEnv(env);
  const db = resolveDb(flags.db, env);
  const redisUrl = resolveRedis(flags.redis, env);
  const rawPrefix = flags.redisPrefix ?? (env.TUI_CHAT_REDIS_PREFIX || undefined);
  let redisPrefix: string | undefined;
  if (rawPrefix !== undefined) {
    const label = flags.redisPrefix !== undefined ? '--redis-prefix' : 'TUI_CHAT_REDIS_PREFIX';
    if (!redisUrl) throw new CliError(`${label} only applies with --redis (or TUI_CHAT_REDIS).`);
    try {
      redisPrefix = normalizePrefix(rawPrefix);
    } catch (err) {
      throw new CliError(`${label}: ${(err as Error).message}`);
    }
  }
  const rawPool = flags.dbPool ?? (env.TUI_CHAT_DB_POOL || undefined);
  const poolLabel = flags.dbPool !== undefined ? '--db-pool' : 'TUI_CHAT_DB_POOL';
  const poolSize = rawPool === undefined ? undefined : parsePositiveInt(rawPool, poolLabel);
  if (poolSize !== undefined && db.kind !== 'postgres') throw new CliError(`${poolLabel} only applies to a postgres:// database.`);
  if (poolSize !== undefined && poolSize > 1000) throw new CliError(`${poolLabel} must be at most 1000, got "${rawPool}".`);
  const presenceTtlMs = optionalInt(flags.presenceTtl, '--presence-ttl');
  if (presenceTtlMs !== undefined && !redisUrl) throw new CliError('--presence-ttl only applies with --redis (or TUI_CHAT_REDIS).');
  if (presenceTtlMs !== undefined && presenceTtlMs < 300)
    throw new CliError(`--presence-ttl must be at least 300 ms, got "${flags.presenceTtl}".`);
  const proxyProtocol = parseProxyProtocol(flags.proxyProtocol, env, trustedProxies);
  const logger = pino({ level: logLevel }, pino.destination(2));

  // A file this run creates is removed again should the server not start (a busy port, say).
  const newFile = db.kind === 'sqlite' && db.path !== ':memory:' && !fs.existsSync(db.path) ? db.path : null;
  const forgetNewFile = (): void => {
    if (newFile) for (const f of [newFile, `${newFile}-wal`, `${newFile}-shm`]) fs.rmSync(f, { force: true });
  };
  const store = (await openAnyStore(db, { create: true, poolSize, onError: (err) => logger.error({ err }, 'database connection error') }))!;
  // Said to the person starting it, not only in the JSON log.
  for (const warning of store.warnings ?? []) process.stderr.write(`tui-chat: warning: ${warning}\n`);
  let redis: RedisBackend | undefined;
  if (redisUrl) {
    try {
      redis = await connectRedis(redisUrl, { prefix: redisPrefix, onError: (err) => logger.error({ err }, 'Redis connection error') });
    } catch (err) {
      await store.close();
      forgetNewFile();
      if (err instanceof RedisConnectError) throw new CliError(err.message.replace(/\.?$/, '.'));
      throw err;
    }
    if (db.kind === 'sqlite') {
      logger.warn(
        '--redis with a SQLite database: every node must use this same file; use --db postgres://... for nodes on several machines',
      );
    }
  }
  let server: ChatServer;
  try {
    server = createChatServer({
      host: bindHost,
      tls,
      pingIntervalMs,
      pingTimeoutMs,
      port,
      store,
      redis,
      presenceTtlMs,
      registration,
      idleTimeoutSeconds,
      lockoutAttempts,
      lockoutSeconds,
      passwordCost,
      proxyProtocol,
      limits: { ...(loginDeadlineSeconds !== undefined && { loginDeadlineSeconds }), ...(ipv6Prefix !== undefined && { ipv6Prefix }) },
      logger,
    });
  } catch (err) {
    await closeAll(store, redis);
    forgetNewFile();
    // The only way creation fails on valid flags is a certificate and key TLS cannot use.
    throw new CliError(
      `--tls-cert and --tls-key are not a PEM certificate and its matching key (${err instanceof Error ? err.message : String(err)}).`,
    );
  }

  let bound;
  try {
    bound = await server.listen();
  } catch (err) {
    await server.close().catch(() => undefined);
    forgetNewFile();
    if (redis && err instanceof Error && !errnoCode(err)) throw new CliError(`cannot start in cluster mode: ${err.message}.`);
    throw listenError(err, bindHost, port);
  }
  const shownHost = bound.family === 'IPv6' || bound.address.includes(':') ? `[${bound.address}]` : bound.address;
  const cluster = redis ? `, redis ${redis.location} prefix ${redis.prefix}` : '';
  const proxied = proxyProtocol ? `, PROXY protocol from ${proxyProtocol.from.join(',')}` : '';
  process.stdout.write(
    `tui-chat server listening on ${tls ? 'wss://' : ''}${shownHost}:${bound.port} (database ${shownDb(db)}${cluster}, registration ${registration}${proxied})\n`,
  );
  server.context.log.info(
    {
      address: bound.address,
      port: bound.port,
      db: shownDb(db),
      redis: redis?.location,
      prefix: redis?.prefix,
      registration,
      proxyProtocol: proxyProtocol?.from,
    },
    'listening',
  );
  return untilSignal(server);
}

/** The balancers allowed to send a PROXY header, from the flag or TUI_CHAT_PROXY_PROTOCOL. */
function parseProxyProtocol(
  flag: string | undefined,
  env: NodeJS.ProcessEnv,
  trustedProxies: (entries: readonly string[]) => unknown,
): { from: string[] } | undefined {
  const raw = flag ?? (env.TUI_CHAT_PROXY_PROTOCOL || undefined);
  if (raw === undefined) return undefined;
  const label = flag !== undefined ? '--proxy-protocol' : 'TUI_CHAT_PROXY_PROTOCOL';
  const from = raw.split(',').map((a) => a.trim());
  try {
    trustedProxies(from);
  } catch (err) {
    throw new CliError(`${label}: ${(err as Error).message}`);
  }
  return { from };
}

async function closeAll(store: Store, redis: RedisBackend | undefined): Promise<void> {
  await Promise.all([store.close().catch(() => undefined), redis?.close().catch(() => undefined)]);
}

/** Reads the TLS pair, or undefined when neither flag is given. */
function readTls(certFile: string | undefined, keyFile: string | undefined): { cert: Buffer; key: Buffer } | undefined {
  if (certFile === undefined && keyFile === undefined) return undefined;
  if (certFile === undefined || keyFile === undefined) throw new CliError('--tls-cert and --tls-key go together; give both.');
  const read = (file: string, flag: string): Buffer => {
    try {
      return fs.readFileSync(file);
    } catch (err) {
      throw new CliError(`cannot read ${flag} ${file} (${errnoCode(err) ?? String(err)}).`);
    }
  };
  return { cert: read(certFile, '--tls-cert'), key: read(keyFile, '--tls-key') };
}

function listenError(err: unknown, host: string, port: number): CliError {
  const where = `${host.includes(':') ? `[${host}]` : host}:${port}`;
  switch (errnoCode(err)) {
    case 'EADDRINUSE':
      return new CliError(`cannot listen on ${where}: the port is already in use (is another server running? try --port).`);
    case 'EADDRNOTAVAIL':
      return new CliError(`cannot listen on ${where}: ${host} is not an address of this machine (try --host 127.0.0.1 or 0.0.0.0).`);
    case 'EACCES':
      return new CliError(`cannot listen on ${where}: permission denied (ports below 1024 need privileges; try --port 4000).`);
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return new CliError(`cannot listen on ${where}: the host name ${host} does not resolve.`);
    default:
      return new CliError(`cannot listen on ${where}: ${err instanceof Error ? err.message : String(err)}.`);
  }
}

/** Resolves with the exit code once a signal has stopped the server. */
function untilSignal(server: ChatServer): Promise<number> {
  return new Promise((resolve) => {
    let stopping = false;
    const onSignal = (signal: NodeJS.Signals) => {
      if (stopping) {
        process.stderr.write(`tui-chat: ${signal} again, exiting without waiting.\n`);
        process.exit(1);
      }
      stopping = true;
      server.context.log.info({ signal }, 'shutting down');
      server.close().then(
        () => finish(0, 'tui-chat server stopped.\n', process.stdout),
        (err: unknown) =>
          finish(1, `tui-chat: the server did not stop cleanly: ${err instanceof Error ? err.message : String(err)}\n`, process.stderr),
      );
    };
    const finish = (code: number, line: string, stream: NodeJS.WriteStream) => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      stream.write(line);
      // A stray handle (a half-open socket) must not keep a stopped server's process alive.
      setTimeout(() => process.exit(code), 3000).unref();
      resolve(code);
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  });
}
