/**
 * The search thread: its own read-only connection to the database file, answering searches one
 * at a time, so a search that walks many matches (a common word, a short prefix: tens of ms on a
 * million messages) never holds up the server's event loop. WAL lets it read beside the writer.
 */
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { SqliteSearch } from './search.js';
import type { SearchReply, SearchRequest } from './search-thread.js';

const { file } = workerData as { file: string };
const db = new Database(file, { readonly: true, fileMustExist: true });
db.pragma('busy_timeout = 5000');
const search = new SqliteSearch(db);

parentPort!.on('message', (req: SearchRequest) => {
  let reply: SearchReply;
  try {
    reply = { id: req.id, messages: search.run(req.user, req.terms, req.options) };
  } catch (err) {
    const e = err as { message?: string; code?: string };
    reply = { id: req.id, error: { message: e.message ?? String(err), code: e.code } };
  }
  parentPort!.postMessage(reply);
});
