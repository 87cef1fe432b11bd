/**
 * A load generator process: holds many simulated users (LiteSocket each) and runs what the
 * harness asks over IPC, one module per command (worker/commands.ts). Senders and their
 * recipients live in the same worker, so send and receipt are stamped by one clock.
 */
import { emitToParent, serve } from './child.js';
import { commands } from './worker/commands.js';
import { sockets } from './worker/state.js';

serve(commands, async () => {
  for (const s of sockets.values()) s.close();
});
emitToParent('ready', { pid: process.pid });
