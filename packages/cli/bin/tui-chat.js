#!/usr/bin/env node
// Thin launcher so the bin exists before the TypeScript build has run.
import { main } from '../dist/main.js';

main(process.argv).then(
  (code) => {
    if (typeof code === 'number') process.exitCode = code;
  },
  (err) => {
    process.stderr.write(`tui-chat: ${err && err.message ? err.message : String(err)}\n`);
    process.exitCode = 1;
  },
);
