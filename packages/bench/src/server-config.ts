/** What the server child is told and what it reports (shared with the harness, no side effects). */

export interface ServerChildConfig {
  kind: 'chat' | 'relay' | 'sio-relay';
  /** 'cheap' is the tests' password hashing cost; 'default' is the server's real default (Argon2id m=19 MiB, t=2, p=1). */
  passwordCost?: 'cheap' | 'default';
  pingIntervalMs?: number;
  /** Path of another build of @tui-chat/server's entry (dist/index.js) to measure instead. */
  serverModule?: string;
  /**
   * Cluster mode (chat only): this PostgreSQL database (it must exist) instead of a temporary
   * SQLite file, and this Redis with this key prefix, as `tui-chat serve --db postgres://...
   * --redis redis://... --redis-prefix P` runs it.
   */
  cluster?: {
    db: string;
    redis: string;
    prefix: string;
    /** How long a killed node's users still count as online (the server's presenceTtlMs; default its own). */
    presenceTtlMs?: number;
  };
  /**
   * Limits of the server's own (chat only) laid over RAISED_LIMITS: a scenario that measures a
   * limit at work (the reader's page-byte budget) gives that one its real value.
   */
  limits?: Partial<typeof RAISED_LIMITS>;
  /** The server's default limits (with `limits` over them) instead of RAISED_LIMITS. */
  defaultLimits?: boolean;
  /** This SQLite file instead of a temporary one (kept when the server stops: a restart opens it again). */
  db?: string;
  /** Listen on this port (default: any free one). */
  port?: number;
}

/** The limits the benchmark runs under: high enough never to refuse the load. */
export const RAISED_LIMITS = {
  messagesPerWindow: 1_000_000_000,
  requestsPerWindow: 1_000_000_000,
  windowSeconds: 1,
  loginsPerMinute: 1_000_000_000,
  reconnectsPerMinute: 1_000_000_000,
  connectionsPerAddress: 1_000_000_000,
  pendingPerAddress: 1_000_000_000,
  readBytesPerWindow: 1_000_000_000_000,
};

/** The tests' cost for a build from the scrypt era (--server-module of a build before Argon2id). */
export const CHEAP_SCRYPT_ERA = { N: 2 ** 10, r: 8, p: 1 };

/** What bringing the search index up to date cost the server (SQLite indexes behind the messages). */
export interface IndexCatchUp {
  /** Messages it was behind. */
  behind: number;
  seconds: number;
  cpuSeconds: number;
}

export interface ServerStats {
  rss: number;
  heapUsed: number;
  heapTotal: number;
  /**
   * Memory the young generation holds (V8's new space, both semi-spaces): it grows once to the
   * size --max-semi-space-size allows and stays, a fixed cost rather than one per connection.
   */
  youngGeneration: number;
  external: number;
  arrayBuffers: number;
  /** Event-loop utilisation since the previous `stats` call (0..1). */
  elu: number;
  /** CPU seconds (user + system) since the previous `stats` call. */
  cpuSeconds: number;
  /** The event loop's delay (a timer's lateness, 1 ms resolution) since the previous call: p99 and max, ms. */
  loopDelay: { p99: number; max: number };
  /** Of those, the main thread's (the event loop); null where /proc cannot tell. */
  mainThreadCpuSeconds: number | null;
  wallSeconds: number;
  connections: number;
  writer?: { batches: number; messages: number; largestBatch: number };
  /** The connection guard's counts: closed at the login deadline, refused at the door (a cap reached). */
  guard?: { expired: number; refused: number };
}
