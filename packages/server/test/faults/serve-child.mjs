#!/usr/bin/env node
/**
 * A chat server in a child process, for fault tests that need options `tui-chat serve` has no flag
 * for yet (a short keep-alive, so a frozen server is noticed within a second). It runs the built
 * server (packages/server/dist) and prints the same line as the CLI once listening.
 *
 *   node serve-child.mjs --port P --db FILE [--ping-interval MS] [--ping-timeout MS]
 *
 * TUI_CHAT_SCRYPT_N lowers the hashing cost as in the CLI. SIGTERM or SIGINT stops it cleanly.
 */
import { parseArgs } from 'node:util';
import { createChatServer } from '../../dist/index.js';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '0' },
    db: { type: 'string' },
    'ping-interval': { type: 'string' },
    'ping-timeout': { type: 'string' },
  },
});
if (!values.db) {
  process.stderr.write('serve-child: --db is required\n');
  process.exit(2);
}
const int = (raw) => (raw === undefined ? undefined : Number(raw));
const server = createChatServer({
  port: Number(values.port),
  db: values.db,
  scryptCost: process.env.TUI_CHAT_SCRYPT_N ? { N: Number(process.env.TUI_CHAT_SCRYPT_N), r: 8, p: 1 } : undefined,
  pingIntervalMs: int(values['ping-interval']),
  pingTimeoutMs: int(values['ping-timeout']),
});
const bound = await server.listen();
process.stdout.write(`tui-chat server listening on ${bound.address}:${bound.port} (database ${values.db}, registration open)\n`);

let stopping = false;
const stop = () => {
  if (stopping) process.exit(1);
  stopping = true;
  server.close().then(
    () => {
      process.stdout.write('tui-chat server stopped.\n');
      process.exit(0);
    },
    (err) => {
      process.stderr.write(`serve-child: ${err?.message ?? err}\n`);
      process.exit(1);
    },
  );
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
