/** Temporary folders for tests, removed by the test that made them. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** A new empty folder under the system's temporary folder, named after `purpose`. */
export function tempDir(purpose = 'test'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `tui-chat-${purpose}-`));
}
