/** `tui-chat serve`: runs the chat server until SIGINT or SIGTERM. */
import fs from 'node:fs';
import type { Command } from 'commander';
import type { ChatServer, RedisBackend, Store } from '@tui-chat/server';
import { CliError, errnoCode } from '../errors.js';
import { needsServer } from '../server-package.js';
import type { Runner } from './user/common.js';
import { scryptCostFromEnv, shownDb, SCRYPT_ENV_HELP } from '../options.js';
import type { ResolvedServeSettings } from '../serve-settings/resolve.js';
import { addSettingOptions, SETTINGS_HELP } from '../serve-settings/help.js';
import type { SettingName } from '../serve-settings/table.js';

type ServeFlags = Partial<Record<SettingName, string>> & { config?: string };

export function registerServe(program: Command, run: Runner): void {
  const command = program.command('serve').description('run a chat server');
  addSettingOptions(command);
  command
    .addHelpText(
      'after',
      `
Prints one line on stdout once listening; logs go to stderr. SIGINT or SIGTERM
stops it cleanly (a second signal forces the exit).

Cluster mode: run several servers on one PostgreSQL database and one Redis;
clients connect to any of them (tui-chat connect host1:4000,host2:4000) or to a
TCP load balancer in front of them.
${SETTINGS_HELP}
  ${SCRYPT_ENV_HELP}

Examples:
  tui-chat serve
  tui-chat serve --host 0.0.0.0 --port 4000 --registration closed
  tui-chat serve --config /etc/tui-chat/tui-chat.toml
  tui-chat serve --port 0 --db /tmp/chat.db --log-level warn
  tui-chat serve --host 0.0.0.0 --tls-cert cert.pem --tls-key key.pem
  tui-chat serve --port 4001 --db postgres://postgres@127.0.0.1:5432/chat --redis redis://127.0.0.1:6379
  tui-chat serve --host 0.0.0.0 --proxy-protocol 10.0.0.10,10.0.0.11`,
    )
    .action((flags: ServeFlags) => run(() => serve(flags)));
}

async function serve(flags: ServeFlags): Promise<number> {
  const env = process.env;
  // Every setting is checked before anything loads: a mistake costs no start-up.
  const { config, ...given } = flags;
  const { resolveServeSettings } = await import('../serve-settings/resolve.js');
  const settings = resolveServeSettings(given, config, env);
  const scryptCost = scryptCostFromEnv(env);
  // The server, SQLite and the logger load here, not with the command line: --help and connect never need them.
  const [{ connectRedis, createChatServer, normalizePrefix, pino, RedisConnectError, trustedProxies }, { openAnyStore }] =
    await needsServer('serve', () => Promise.all([import('@tui-chat/server'), import('../open-store.js')]));
  const {
    host,
    port,
    db,
    dbPool: poolSize,
    redis: redisUrl,
    presenceTtl: presenceTtlMs,
    registration,
    idleTimeout: idleTimeoutSeconds,
    lockoutAttempts,
    lockoutSeconds,
    loginDeadline: loginDeadlineSeconds,
    ipv6Prefix,
    pingInterval: pingIntervalMs,
    pingTimeout: pingTimeoutMs,
    logLevel,
  } = settings.values;
  const bindHost = host.replace(/^\[(.*)\]$/, '$1');
  const tls = readTls(settings);
  const redisPrefix = fromServer(settings, 'redisPrefix', normalizePrefix);
  const proxyFrom = fromServer(settings, 'proxyProtocol', (from) => {
    trustedProxies(from);
    return from;
  });
  const proxyProtocol = proxyFrom && { from: proxyFrom };
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
      scryptCost,
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

/** A setting the server itself checks (a Redis prefix, the PROXY balancers), its complaint named after where it came from. */
function fromServer<K extends 'redisPrefix' | 'proxyProtocol', T>(
  settings: ResolvedServeSettings,
  name: K,
  check: (value: NonNullable<ResolvedServeSettings['values'][K]>) => T,
): T | undefined {
  const value = settings.values[name];
  if (value === undefined) return undefined;
  try {
    return check(value as NonNullable<ResolvedServeSettings['values'][K]>);
  } catch (err) {
    throw new CliError(`${settings.label(name)}: ${(err as Error).message}`);
  }
}

async function closeAll(store: Store, redis: RedisBackend | undefined): Promise<void> {
  await Promise.all([store.close().catch(() => undefined), redis?.close().catch(() => undefined)]);
}

/** Reads the TLS pair, or undefined when neither is given (resolution checked they go together). */
function readTls({ values, label }: ResolvedServeSettings): { cert: Buffer; key: Buffer } | undefined {
  if (values.tlsCert === undefined || values.tlsKey === undefined) return undefined;
  const read = (file: string, name: 'tlsCert' | 'tlsKey'): Buffer => {
    try {
      return fs.readFileSync(file);
    } catch (err) {
      const why = `${file} (${errnoCode(err) ?? String(err)})`;
      // `--tls-cert`, or `tui-chat.toml line 5: tls-cert` from a config file.
      const [where, what] = label(name).includes(': ') ? label(name).split(': ') : [null, label(name)];
      throw new CliError(`${where ? `${where}: ` : ''}cannot read ${what} ${why}.`);
    }
  };
  return { cert: read(values.tlsCert, 'tlsCert'), key: read(values.tlsKey, 'tlsKey') };
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
