/** Where a worker thread's script is: next to the caller, or in dist when tests run the sources. */
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';

export function workerScript(name: string, callerUrl: string): URL {
  const own = new URL(`./${name}`, callerUrl);
  if (fs.existsSync(fileURLToPath(own))) return own;
  return new URL(own.href.replace('/src/store/sqlite/', '/dist/store/sqlite/'));
}
