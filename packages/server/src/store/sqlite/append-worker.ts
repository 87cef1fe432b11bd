/**
 * The writer thread: its own connection to the database file, running the group commit's
 * transactions so their fsync never blocks the server's event loop, and the small writes of
 * logins, logouts, the heartbeat and read markers (bookkeeping.ts), so the event loop never waits
 * for the write lock either. One request at a time, in the order they arrive; the search index
 * between them (index-schedule.ts).
 */
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { Appender, unpackBatch } from './appender.js';
import { IndexSchedule } from './index-schedule.js';
import { SearchIndexer } from './search-indexer.js';
import { Bookkeeping } from './bookkeeping.js';
import type { WriterReply, WriterRequest } from './writer-thread.js';

const { file } = workerData as { file: string };
const db = new Database(file);
db.pragma('journal_mode = WAL');
db.pragma('synchronous = FULL');
db.pragma('busy_timeout = 5000');
// The checkpointer thread copies the WAL back; this is only the safety net should it fall behind
// (a commit that finds the WAL over ~40 MB checkpoints itself, as SQLite does by default at 4 MB).
db.pragma('wal_autocheckpoint = 10000');
const appender = new Appender(db);
const bookkeeping = new Bookkeeping(db);
// Messages stored before a restart and not yet indexed are indexed once the server is quiet.
const schedule = new IndexSchedule(new SearchIndexer(db));
schedule.appended(0);
parentPort!.postMessage({ ready: true } satisfies WriterReply);

const failed = (id: number, err: unknown): WriterReply => {
  const e = err as { message?: string; code?: string };
  return { id, error: { message: e.message ?? String(err), code: e.code } };
};

let bookkeepingWrites: Extract<WriterRequest, { bookkeeping: unknown }>[] = [];
function flushBookkeeping(): void {
  const requests = bookkeepingWrites;
  bookkeepingWrites = [];
  bookkeeping.runAll(requests.map((r) => r.bookkeeping)).forEach((result, i) => {
    const id = requests[i]!.id;
    parentPort!.postMessage(result instanceof Error ? failed(id, result) : ({ id, changes: result } satisfies WriterReply));
  });
}

parentPort!.on('message', (req: WriterRequest) => {
  if ('bookkeeping' in req) {
    // Those that arrive in the same turn share one transaction (see Bookkeeping.runAll).
    if (bookkeepingWrites.push(req) === 1) setImmediate(flushBookkeeping);
    return;
  }
  if ('catchUp' in req) {
    schedule.catchUp((err) => parentPort!.postMessage(err ? failed(req.id, err) : ({ id: req.id, indexed: true } satisfies WriterReply)));
    return;
  }
  let reply: WriterReply;
  try {
    reply = { id: req.id, results: appender.append(unpackBatch(req.batch)) };
  } catch (err) {
    reply = failed(req.id, err);
  }
  parentPort!.postMessage(reply, 'results' in reply ? [reply.results.ids.buffer as ArrayBuffer] : []);
  // After the answer: the senders need not wait for the index.
  if ('results' in reply) schedule.appended();
});
