/** The exact versions the server's patches were written for (pinned to match: package.json, and the root overrides for engine.io). */
export const PATCHED_VERSIONS = {
  /** write-coalescing.ts patches its websocket transport's `send`. */
  'engine.io': '6.6.12',
  /** ioredis-publish.ts wraps a client's `publish`. */
  ioredis: '5.11.1',
  /** redis-streams-own-entries.ts wraps its adapter's `onRawMessage`. */
  '@socket.io/redis-streams-adapter': '0.3.1',
} as const;
