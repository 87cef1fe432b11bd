#!/usr/bin/env node
// Thin launcher so the bin exists before the TypeScript build has run.
import { relaunchForClient } from '../dist/client-process.js';

// `connect` runs with the client's Node flags (see src/client-process.ts): before anything loads.
relaunchForClient();
const { main } = await import('../dist/main.js');

main(process.argv).then(
  (code) => {
    if (typeof code === 'number') process.exitCode = code;
  },
  (err) => {
    process.stderr.write(`tui-chat: ${err && err.message ? err.message : String(err)}\n`);
    process.exitCode = 1;
  },
);
